// Every message that crosses a port or chrome.runtime between Liftoff's pages, its content
// scripts, its offscreen document and its service worker: the port names the code uses, and the
// shape of each request and answer (JSDoc types, checked by nothing at run time: every receiver
// still keeps only the fields it expects, with their types).
//
// Who talks to whom:
// - the popup          ⇄ the worker over POPUP_PORT   (background/ports/popup-session.js)
// - the drop page      ⇄ the worker over DROP_PORT    (background/ports/drop-session.js)
// - the options page   ⇄ the worker over OPTIONS_PORT (background/ports/options-session.js)
// - the worker         ⇄ a builder's content script over CAPTURE_PORT, opened by the worker
//                        with chrome.tabs.connect (background/sources/capture.js; content/*.js,
//                        which are classic scripts and write the names out)
// - the worker         → the offscreen document with chrome.runtime.sendMessage, target
//                        OFFSCREEN_TARGET (background/actions/offscreen.js, offscreen/offscreen.js)
// No token ever crosses to a page: the popup and the options page are only told whether one is
// set. The builder's session token crosses once, from the content script to the worker, in the
// answer to an export request. Builders' and destinations' names, words and options come from
// the core's catalog (background/core/catalog.js); the pages get what they show in the answers.

/** The popup's port to the worker (accepted only from an extension page that is not a tab). */
export const POPUP_PORT = 'popup';
/** The drop page's port to the worker (accepted only from extension/drop/drop.html). */
export const DROP_PORT = 'drop';
/** The options page's port to the worker (accepted only from extension/options/options.html). */
export const OPTIONS_PORT = 'options';
/** The worker's port to a builder tab's content script; also the type of the one request on it. */
export const CAPTURE_PORT = 'liftoff:capture';
/** The `target` of the worker's chrome.runtime messages to the offscreen document. */
export const OFFSCREEN_TARGET = 'offscreen';

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** @typedef {string} Builder a builder's id in the core's catalog ('bolt', 'lovable', 'base44', …) */
/** @typedef {string} Provider a hosting destination's id in the core's catalog ('vercel', 'netlify', …) */
/** @typedef {string} Service the id of a destination with origins in the core's catalog ('github', 'vercel', 'netlify', 'supabase', …), or of a self-managed forge host ('gitlab@https://git.example.com') */

/**
 * A file left out of the zip or the commit, with the reason.
 * @typedef {object} LeftOut
 * @property {string} path
 * @property {string} [reason]
 */

/**
 * What the popup and the drop page show of an export's report (background/wording/summary.js).
 * @typedef {object} Summary
 * @property {boolean} raw the builder's files exactly as they are (the cleanup was off)
 * @property {string | null} builder the builder the core recognised
 * @property {string | null} builderName its name in the core's catalog (null: not recognised)
 * @property {{removed: number, edited: number, added: number}} counts
 * @property {{path: string, action: 'removed' | 'edited' | 'added', reason: string}[]} changes at most 300
 * @property {number} changesCut how many more changes LIFTOFF.md lists
 * @property {{path: string, line: number, kind: string, masked: string}[]} secrets at most 300
 * @property {number} secretsCut
 * @property {{name: string, reason: string}[]} env the environment variables to set
 * @property {{places: number, files: number}} ties what still calls the builder
 * @property {string[]} warnings at most 300
 * @property {number} warningsCut
 */

/**
 * A progress step of a run, as the worker posts it to the popup or the drop page.
 * phase: 'reading' (asking the page or reading the dropped file), 'fetching' (responses from the
 * builder's API), 'building' (the zip), 'saving' (the download), 'reviewing' (GitHub requests of
 * a review), 'pushing' (GitHub requests of a push), 'deploying' (the provider's steps, the last
 * one the build), 'database' (SQL files applied).
 * @typedef {object} Progress
 * @property {'progress'} type
 * @property {'reading' | 'fetching' | 'building' | 'saving' | 'reviewing' | 'pushing' | 'deploying' | 'database'} phase
 * @property {number} [done] for 'fetching': files fetched
 * @property {number} [total] for 'fetching': files known (0 while the list is not known yet)
 * @property {'download' | 'listing' | 'data'} [step] for 'fetching': what the builder's API is
 *   doing while no file count says it (downloading the whole project, listing its files, reading
 *   its data)
 */

/**
 * A finished download (export of the tab or of a dropped file).
 * @typedef {object} Done
 * @property {'done'} type
 * @property {string} fileName the file name the download was given
 * @property {number} size bytes
 * @property {boolean} saved false while the browser is still busy with it (a save-as dialog)
 * @property {number | null} files how many files the zip holds
 * @property {string | null} builder the builder the core recognised ('unknown' for a dropped file it did not)
 * @property {string | null} builderName its name in the core's catalog (null: not recognised)
 * @property {LeftOut[]} skipped what the page or the archive could not provide
 * @property {Summary} summary
 * @property {string[]} sql the SQL files a database push would apply, in its order
 */

/**
 * A failed run.
 * @typedef {object} RunError
 * @property {'error'} type
 * @property {string} message a sentence for the user
 * @property {boolean} [settings] a token in Settings would fix it (deploy, database)
 * @property {string | null} [detail] the failing SQL statement as the core quotes it (database)
 */

/**
 * One entry of the History view (background/store/history.js).
 * @typedef {object} HistoryEntry
 * @property {'export' | 'push' | 'deploy' | 'rollback' | 'promote' | 'database'} kind
 * @property {number} time epoch ms
 * @property {'download' | Service} target
 * @property {string | null} project the export's name, the repository, the hosting project or site, or the Supabase ref
 * @property {string | null} link an https address: the commit, the deployment, or the Supabase dashboard
 * @property {string | null} id the commit or deployment id
 * @property {string | null} state
 * @property {string} [file] a download's file name
 * @property {'queued' | 'running' | 'passed' | 'failed' | 'none'} [checks] a push's CI verdict, as last known
 * @property {true} [preview] a deploy that left production as it was
 */

/**
 * A production deployment as the provider lists it.
 * @typedef {object} Deployment
 * @property {string} id
 * @property {string} url
 * @property {string} state
 * @property {number} created epoch ms
 * @property {boolean} production the live one
 * @property {boolean} preview deployed beside production, never live (promote makes it live)
 */

// ---------------------------------------------------------------------------------------------
// POPUP_PORT: popup → worker
// ---------------------------------------------------------------------------------------------

/**
 * What the active tab holds. Answered with a Project or a NoProject.
 * @typedef {object} InspectRequest
 * @property {'inspect'} type
 * @property {number} tabId
 */

/**
 * "Use Liftoff on this site": the person lets Liftoff read a page that looks like bolt.diy, on
 * its origin only (background/sources/bolt-diy.js). Answered with a Project or a NoProject.
 * @typedef {object} AllowSiteRequest
 * @property {'allow-site'} type
 * @property {number} tabId
 * @property {string} origin the NoProject's offerSite
 */

/**
 * Export the tab's project as a download. Answered with Progress…, then Done or RunError.
 * @typedef {object} ExportRequest
 * @property {'export'} type
 * @property {number} tabId
 */

/**
 * Whether a destination accepts a name, asked before a push, a deployment or a database push so
 * that the form answers before anything is exported. Answered with NameChecked.
 * @typedef {object} CheckNameRequest
 * @property {'check-name'} type
 * @property {number} id the popup's, to match the answer
 * @property {Service} destination
 * @property {string} name a repository ('owner/name'), a hosting project or site name, a Supabase ref
 */

/**
 * Export the tab's project and push it to GitHub as one commit (the export of the review named,
 * when the worker still holds it: for 10 minutes, same tab and project). Answered with
 * Progress…, then Pushed or RunError (the repository checked with the core before any work),
 * then Checks on each change of the commit's CI verdict while the port stays open. An empty
 * branch: the repository's default branch.
 * @typedef {object} PushRequest
 * @property {'push'} type
 * @property {number} tabId
 * @property {string | null} key the project's key ('<builder>:<id>'), to remember the repository
 * @property {string} [forge] where to push: a ForgeTarget id ('github' when absent)
 * @property {string} repository 'owner/name' ('group/sub/name' on GitLab)
 * @property {boolean} create create the repository first
 * @property {boolean} private a created repository's visibility
 * @property {string} branch
 * @property {string} message the commit message the form showed (prefilled with Project.github.message); empty: the core's fallback
 * @property {boolean} pr open a pull request from branch into the default branch (or update the one open)
 * @property {number | null} review the Reviewed.review whose export to push; null: export now
 * @property {{bucket: string, region: string, role: string, distribution: string, prefix: string} | null} [aws]
 *   GitHub only: push the export with the GitHub Actions workflow that deploys it on AWS (OIDC role)
 */

/**
 * Export the tab's project and compare it with what a push would replace, writing nothing (the
 * same fields as PushRequest but review). Answered with Progress…, then Reviewed or RunError.
 * @typedef {object} ReviewRequest
 * @property {'review'} type
 * @property {number} tabId
 * @property {string | null} key
 * @property {string} repository
 * @property {boolean} create
 * @property {boolean} private
 * @property {string} branch
 * @property {string} message
 * @property {boolean} pr
 */

/**
 * One file's unified diff in a review. Answered with ReviewDiff.
 * @typedef {object} ReviewDiffRequest
 * @property {'review-diff'} type
 * @property {number} review Reviewed.review
 * @property {string} path as Reviewed.changes lists it
 */

/**
 * Export the tab's project and deploy it. Answered with Progress…, then Deployed or RunError
 * (the name checked with the core before any work). A provider that is not a hosting destination
 * of the catalog: ignored.
 * @typedef {object} DeployRequest
 * @property {'deploy'} type
 * @property {number} tabId
 * @property {Provider} provider
 * @property {string} project the project or site name on the provider (never an address)
 * @property {boolean} [preview] deploy beside production (remembered per project)
 * @property {string | null} [key] the project's key, to remember Preview or Production
 */

/**
 * Export the tab's project and apply its SQL to a Supabase project. Answered with Progress…,
 * then DatabaseApplied or RunError.
 * @typedef {object} DatabaseRequest
 * @property {'database'} type
 * @property {number} tabId
 * @property {string | null} key the project's key, to remember the ref
 * @property {string} ref the Supabase project ref (checked with the core before any work)
 */

/**
 * The History view. Answered with HistoryList, then one HistoryProject per deployed project.
 * @typedef {object} HistoryRequest
 * @property {'history'} type
 */

/**
 * Put a deployment back in production. Answered with RollbackProgress…, then RolledBack (and a
 * fresh HistoryProject) or RollbackError.
 * @typedef {object} RollbackRequest
 * @property {'rollback'} type
 * @property {Provider} provider
 * @property {string} project
 * @property {string} deployment the id to put back
 */

/**
 * Make a preview production without a rebuild. Answered like a RollbackRequest, each answer with
 * kind 'promote' (RolledBack's changed: false when it was production already).
 * @typedef {object} PromoteRequest
 * @property {'promote'} type
 * @property {Provider} provider
 * @property {string} project
 * @property {string} deployment the preview's id
 */

/** @typedef {InspectRequest | AllowSiteRequest | ExportRequest | CheckNameRequest | ReviewRequest | ReviewDiffRequest | PushRequest | DeployRequest | DatabaseRequest | HistoryRequest | RollbackRequest | PromoteRequest} PopupRequest */

// ---------------------------------------------------------------------------------------------
// POPUP_PORT: worker → popup
// ---------------------------------------------------------------------------------------------

/**
 * A hosting destination the popup offers for a project: a "Deploy to <name>" button and its form.
 * @typedef {object} DeployOption
 * @property {Provider} id
 * @property {string} name as the catalog names it ('Vercel')
 * @property {string} word what it calls a project ('project', 'site')
 * @property {boolean} tokenSet
 * @property {string} suggestion the name the core makes of the project's ('' when it suggests none)
 */

/**
 * Where a push may go (background/store/forge-hosts.js): a forge at its public host ('github',
 * 'gitlab', 'gitea') or at a self-managed host added in Settings ('gitlab@https://git.example.com').
 * @typedef {object} ForgeTarget
 * @property {string} id
 * @property {string} name 'GitLab', 'GitLab (git.example.com)'
 * @property {string} forge the catalog id the core pushes with
 * @property {string} host where its token goes
 * @property {string} word what it calls a repository ('project' on GitLab)
 * @property {boolean} tokenSet
 */

/**
 * A project the tab holds.
 * @typedef {object} Project
 * @property {'project'} type
 * @property {Builder} builder
 * @property {string} builderName the builder's name in the core's catalog
 * @property {string | null} key names the project across visits: '<builder>:<chat or project id>'
 * @property {string} name
 * @property {number | null} files null when only the builder's API knows (Lovable, Base44)
 * @property {LeftOut[]} skipped what the page cannot provide
 * @property {{kind: 'download', name: string, size: number, at: number} | {kind: 'menu'} |
 *   {kind: 'stored', chats: number, description: string | null, timestamp: number | null} |
 *   {kind: 'history'} | null} source for a builder read from its page (Bolt): its own download
 *   kept from the page, asked for through its Export menu at export, the most recently changed
 *   of the chats stored (no chat in the address), or the open chat's history
 * @property {{tokenSet: boolean, forge: string, forges: ForgeTarget[], repository: string, branch: string, pr: boolean, aws: {bucket: string, region?: string, role: string, distribution?: string, prefix?: string} | null, message: string}} github the
 *   push form's start (the project's last push, its AWS route included; message: the core's
 *   default commit message)
 * @property {DeployOption[]} deploy one per hosting destination of the catalog, in its order
 * @property {boolean} deployPreview the project was last deployed as a preview (the form asks the same)
 * @property {{tokenSet: boolean, ref: string}} database the Database step's start
 */

/**
 * Whether a destination accepts a name (the answer to a CheckNameRequest).
 * @typedef {object} NameChecked
 * @property {'name-checked'} type
 * @property {number} id the request's
 * @property {string | null} problem the core's sentence (naming the value and the rule), null when the name is accepted
 */

/**
 * Nothing to export in the tab.
 * @typedef {object} NoProject
 * @property {'none'} type
 * @property {string} message
 * @property {boolean} offerDrop the drop page is the way forward
 * @property {string} [offerSite] the page looks like bolt.diy: the origin an AllowSiteRequest names
 */

/**
 * A finished push.
 * @typedef {object} Pushed
 * @property {'pushed'} type
 * @property {string} forge the ForgeTarget id pushed to
 * @property {string} forgeName its name ('GitHub', 'GitLab (git.example.com)')
 * @property {boolean} followsChecks whether Checks messages follow (GitHub's checks only)
 * @property {string} repository
 * @property {string} branch
 * @property {string} commit
 * @property {string} url the commit's address
 * @property {boolean} created the repository was created
 * @property {boolean} isPrivate what a created repository was asked to be
 * @property {boolean} upToDate the branch already held this export: no new commit
 * @property {boolean} rebuilt
 * @property {{number: number, url: string, created: boolean} | null} pullRequest the one opened (created) or updated; url: https
 * @property {LeftOut[]} excluded what the page could not provide, then what a commit never holds
 * @property {number | null} files
 * @property {Summary} summary
 * @property {string[]} sql
 */

/**
 * One file a push would change. added/removed: lines, for a text file the core compared (null for
 * a binary, and for a text past the preview's bounds); size: bytes (the old size for a deleted
 * file); oldSize: a changed file's old size, when known.
 * @typedef {object} ReviewedFile
 * @property {string} path
 * @property {'added' | 'changed' | 'deleted'} action
 * @property {boolean} binary
 * @property {number | null} added
 * @property {number | null} removed
 * @property {number | null} size
 * @property {number | null} oldSize
 */

/**
 * What a push would change (the answer to a ReviewRequest); nothing was written.
 * @typedef {object} Reviewed
 * @property {'reviewed'} type
 * @property {number} review names this review's export (PushRequest.review) and diffs (ReviewDiffRequest)
 * @property {string} repository
 * @property {string} branch the branch compared against (the default one when none was named; '' for a new repository without one)
 * @property {boolean} upToDate nothing would change: Push has nothing to send
 * @property {boolean} newRepository the repository is to be created and does not exist yet: every file is added (no list)
 * @property {ReviewedFile[]} changes by path
 * @property {LeftOut[]} excluded what the page could not provide, then what a commit never holds
 * @property {number | null} files
 */

/**
 * One file's unified diff (`--- a/…`, `+++ b/…`, hunks) of a review.
 * @typedef {object} ReviewDiff
 * @property {'review-diff'} type
 * @property {number} review
 * @property {string} path
 * @property {string | null} text null: no diff for this file (a binary, a text too large to compare)
 * @property {boolean} cut the diff was longer and was cut
 * @property {boolean} gone the review expired: review again
 */

/**
 * The CI verdict of a pushed commit, posted on each change while the popup stays open.
 * state 'none' with final false: nothing reported yet; 'unknown': the checks could not be read
 * (message says why), nothing follows.
 * @typedef {object} Checks
 * @property {'checks'} type
 * @property {string} commit the Pushed.commit it is about
 * @property {'queued' | 'running' | 'passed' | 'failed' | 'none' | 'unknown'} state
 * @property {boolean} final nothing more will come
 * @property {number} total how many checks report on the commit
 * @property {{name: string, url: string | null} | null} failing the first failing check (url: https)
 * @property {boolean} timedOut followed for 30 minutes, still not over
 * @property {string} [message] with 'unknown': a sentence for the user
 */

/**
 * A finished deployment.
 * @typedef {object} Deployed
 * @property {'deployed'} type
 * @property {Provider} provider
 * @property {string} project
 * @property {string} id
 * @property {string} url the live address (a preview's own address)
 * @property {string} state
 * @property {boolean} preview production was left as it was; "Promote to production" follows
 * @property {number | null} files
 * @property {Summary} summary
 * @property {string[]} sql
 */

/**
 * A finished database push.
 * @typedef {object} DatabaseApplied
 * @property {'database-applied'} type
 * @property {string} ref
 * @property {string} link the project's Supabase dashboard
 * @property {string[]} applied applied by this run
 * @property {string[]} alreadyApplied
 * @property {string[]} changed changed since they were applied, not applied again
 * @property {string[]} sql
 * @property {number | null} files
 * @property {Summary} summary
 */

/**
 * The recorded history, and the deployed projects whose deployments follow.
 * @typedef {object} HistoryList
 * @property {'history'} type
 * @property {HistoryEntry[]} entries newest first
 * @property {{provider: Provider, project: string, tokenSet: boolean}[]} projects
 * @property {Object<string, string>} names each destination's name by id (the catalog's)
 */

/**
 * One deployed project's deployments as its provider lists them, or why they could not be.
 * @typedef {object} HistoryProject
 * @property {'history-project'} type
 * @property {Provider} provider
 * @property {string} project
 * @property {Deployment[]} [deployments]
 * @property {string} [error] a sentence for the user
 * @property {boolean} [settings] with error: a token in Settings would fix it
 */

/**
 * @typedef {object} RollbackProgress
 * @property {'rollback-progress'} type
 * @property {Provider} provider
 * @property {string} project
 * @property {number} done
 * @property {number} total
 */

/**
 * @typedef {object} RolledBack
 * @property {'rolled-back'} type
 * @property {'rollback' | 'promote'} kind
 * @property {Provider} provider
 * @property {string} project
 * @property {string | null} deployment the id asked for
 * @property {{id: string, url: string, state: string}} live the deployment now in production
 * @property {boolean} changed false when it was production already (a promotion of the live one)
 */

/**
 * @typedef {object} RollbackError
 * @property {'rollback-error'} type
 * @property {'rollback' | 'promote'} kind
 * @property {Provider} provider
 * @property {string} project
 * @property {string} message
 * @property {boolean} settings
 */

/** @typedef {Project | NoProject | Progress | Done | Reviewed | ReviewDiff | Pushed | Checks | Deployed | DatabaseApplied | RunError | NameChecked | HistoryList | HistoryProject | RollbackProgress | RolledBack | RollbackError} PopupAnswer */

// ---------------------------------------------------------------------------------------------
// DROP_PORT
// ---------------------------------------------------------------------------------------------

/**
 * drop page → worker: export the file the page stored in the extension's IndexedDB
 * (shared/blob-store.js, store `inputs`) under key. Answered with Progress…, then Done or
 * RunError (message only).
 * @typedef {object} ExportArchiveRequest
 * @property {'export-archive'} type
 * @property {string} key
 * @property {string} fileName the dropped file's name (.zip, .tar, .tar.gz)
 */

/** @typedef {Progress | Done | RunError} DropAnswer */

// ---------------------------------------------------------------------------------------------
// OPTIONS_PORT
// ---------------------------------------------------------------------------------------------

/**
 * options page → worker: the destinations that take a token, one section each. Answered with
 * Destinations.
 * @typedef {{type: 'destinations'}} DestinationsRequest
 */

/**
 * options page → worker: the bolt.diy sites chosen in the popup ('sites'), or forget one
 * ('forget-site', then the list again). Answered with Sites.
 * @typedef {{type: 'sites'} | {type: 'forget-site', origin: string}} SitesRequest
 */

/**
 * worker → options page: the origins where the person said "Use Liftoff on this site".
 * @typedef {{type: 'sites', sites: string[]}} Sites
 */

/**
 * worker → options page: the destinations of the core's catalog that the extension reaches (those
 * with origins), in the catalog's order, then the self-managed forge hosts added (forge: its
 * forge's id), then the builders whose official API takes a key (kind 'builder': Lovable's API
 * key). Sent again after a HostRequest.
 * @typedef {object} Destinations
 * @property {'destinations'} type
 * @property {{id: Service, name: string, kind: 'forge' | 'hosting' | 'database' | 'builder', word: string, tokenHelp: string, teams: boolean, selfManaged?: boolean, forge?: string, hosts: string[]}[]} destinations
 *   hosts: its origins' hosts, where the token (or key) is sent; selfManaged: a forge whose own
 *   hosts may be added
 */

/**
 * options page → worker: add a self-managed host to a forge ('add-host', once Chrome said the
 * person gave access to origin), or remove one with its token ('remove-host', id: its Service).
 * Answered with Destinations, or a HostError.
 * @typedef {{type: 'add-host', forge: string, origin: string} | {type: 'remove-host', id: Service}} HostRequest
 */

/**
 * @typedef {object} HostError
 * @property {'host-error'} type
 * @property {string} forge
 * @property {string} message
 */

/**
 * options page → worker, each answered with a TokenStatus or a TokenError; a service that is
 * not a destination of Destinations: ignored.
 * - 'token-status': what is set;
 * - 'save-token': store token (remember: in storage.local, else storage.session; team: for a
 *   destination with teams);
 * - 'remember-token': move the stored token to the other storage;
 * - 'forget-token': remove it from both.
 * @typedef {object} TokenRequest
 * @property {'token-status' | 'save-token' | 'remember-token' | 'forget-token'} type
 * @property {Service} service
 * @property {string} [token] save-token only
 * @property {boolean} [remember] save-token, remember-token
 * @property {string} [team] save-token, a destination with teams only
 */

/**
 * worker → options page: whether a token is set and where, never the token.
 * @typedef {object} TokenStatus
 * @property {'token-status'} type
 * @property {Service} service
 * @property {boolean} set
 * @property {boolean} remembered in storage.local
 * @property {string} [team] a destination with teams: its team id ('' for none)
 * @property {'saved' | 'moved' | 'forgotten'} [saved] what the request just did
 */

/**
 * @typedef {object} TokenError
 * @property {'token-error'} type
 * @property {Service} service
 * @property {string} message
 */

// ---------------------------------------------------------------------------------------------
// CAPTURE_PORT: worker ⇄ content script
// ---------------------------------------------------------------------------------------------

/**
 * worker → content script: what the page holds. Bolt answers with CaptureBegin, CaptureChunk…,
 * CaptureEnd (its history can pass one message's 64 MiB cap); a builder the catalog lists as
 * fetched (Lovable, Base44) with one CaptureSession. Any may answer CaptureError.
 * @typedef {object} CaptureRequest
 * @property {'liftoff:capture'} type CAPTURE_PORT
 * @property {'inspect' | 'export'} purpose only 'export' is answered with the session token
 */

/**
 * @typedef {object} CaptureBegin
 * @property {'begin'} type
 * @property {'history' | 'zip' | null} format what the pieces hold: the history as JSON text, or
 *   Bolt's own download as base64 (only for purpose 'export'); null: nothing follows
 * @property {boolean} present pieces follow
 * @property {string | undefined} chatHint the chat in the address (/chat/<urlId>)
 * @property {number} length the pieces' total length, checked when they end
 * @property {{title: string | null, projectPage: boolean, projectId: string | null}} page the
 *   project's name as Bolt shows it; whether the address is a hosted project's (/~/<id>)
 * @property {{name: string, size: number, at: number} | null} download the zip the page last saved, kept
 * @property {{chats: number, latest: {description: string | null, timestamp: string | null}}} [stored]
 *   when the address names no chat: how many chats are stored, and the most recent
 */

/**
 * @typedef {object} CaptureChunk
 * @property {'chunk'} type
 * @property {string} text the next piece: JSON text, or whole base64 (a multiple of 4 characters)
 */

/** @typedef {{type: 'end'}} CaptureEnd */

/**
 * @typedef {object} CaptureSession
 * @property {'session'} type
 * @property {Builder} builder one the catalog lists as fetched (else the page is not reachable)
 * @property {string | null} projectId read from the address
 * @property {string | null} title the project's name as the page shows it
 * @property {boolean} signedIn a session token exists in the page
 * @property {string} [token] only for purpose 'export', with a project open and a session found
 */

/**
 * @typedef {object} CaptureError
 * @property {'error'} type
 * @property {string} message our own sentence with an error name, never page data
 * @property {'bolt-menu'} [code] Bolt's Export menu could not be used: the sentence says what to click
 */

// ---------------------------------------------------------------------------------------------
// chrome.runtime messages to the offscreen document
// ---------------------------------------------------------------------------------------------

/**
 * Make a blob: URL of the zip stored under key (shared/blob-store.js, store `zips`). Answered
 * with {url} or {error} (a sentence).
 * @typedef {object} BlobUrlRequest
 * @property {'offscreen'} target OFFSCREEN_TARGET
 * @property {'blob-url'} type
 * @property {string} key
 */

/**
 * Revoke a blob: URL made before, once its download ended. Answered with {ok: true}.
 * @typedef {object} RevokeUrlRequest
 * @property {'offscreen'} target OFFSCREEN_TARGET
 * @property {'revoke-url'} type
 * @property {string} url
 */

/** @typedef {{url: string} | {error: string}} BlobUrlAnswer */

/**
 * Zip an export's files on workers and store the zip under key (shared/blob-store.js, store
 * `zips`). Not a chrome.runtime message: the service worker's postMessage to the offscreen
 * document, every content's buffer transferred, with a MessagePort on which the answer comes:
 * {size} (the zip's bytes) or {error} (a sentence).
 * @typedef {object} ZipFilesRequest
 * @property {'offscreen'} target OFFSCREEN_TARGET
 * @property {'zip-files'} type
 * @property {string} key
 * @property {string[]} paths in the zip's order
 * @property {Uint8Array[]} contents
 * @property {Uint8Array} executable 1 for an executable file
 * @property {number} workers how many workers (1 to 8)
 * @property {boolean} fast deflate level 1
 */
