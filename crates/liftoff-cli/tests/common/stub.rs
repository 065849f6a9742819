//! A local HTTP/1.1 stand-in for remote APIs over real sockets, shared by the CLI's
//! integration tests: one thread per connection, keep-alive, every request recorded, and a
//! handler that answers or drops the connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

/// One request as the handler sees it.
pub struct StubRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub auth: Option<&'a str>,
    pub body: &'a [u8],
    /// 1 for the first request to this path, 2 for the second, …
    pub attempt: u32,
}

/// What the stand-in does with a request.
pub enum Reply {
    Answer(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Close the connection without answering.
    Drop,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::Answer(
            status,
            vec![("content-type", "application/json".into())],
            body.into(),
        )
    }
}

pub type Handler = dyn Fn(&StubRequest<'_>) -> Reply + Send + Sync;

/// A handler that always answers JSON: `f(method, path, authorization, body)` gives the
/// status and the body.
pub fn json_handler(
    f: impl Fn(&str, &str, Option<&str>, &[u8]) -> (u16, Vec<u8>) + Send + Sync + 'static,
) -> Box<Handler> {
    Box::new(move |r: &StubRequest<'_>| {
        let (status, body) = f(r.method, r.path, r.auth, r.body);
        Reply::json(status, body)
    })
}

/// A running stand-in; records `METHOD path` of every request.
pub struct Stub {
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Stub {
    pub fn start(handler: Box<Handler>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::from(handler);
        let seen = Arc::clone(&log);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let seen = Arc::clone(&seen);
                thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        Self { port, log }
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `METHOD path` of every request so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let (mut auth, mut length) = (None, 0usize);
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "authorization" => auth = Some(value.trim().to_string()),
                "content-length" => length = value.trim().parse().unwrap(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let attempt = {
            let mut log = log.lock().unwrap();
            log.push(format!("{method} {path}"));
            let suffix = format!(" {path}");
            log.iter().filter(|entry| entry.ends_with(&suffix)).count() as u32
        };
        let request = StubRequest {
            method: &method,
            path: &path,
            auth: auth.as_deref(),
            body: &body,
            attempt,
        };
        match handler(&request) {
            Reply::Drop => return,
            Reply::Answer(status, headers, answer) => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\n",
                    answer.len()
                );
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                stream.write_all(head.as_bytes()).unwrap();
                stream.write_all(&answer).unwrap();
            }
        }
    }
}
