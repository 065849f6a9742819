// Lookups in the core's catalog (wasm.js, `catalog`): the builders Liftoff exports from and the
// destinations the extension can reach. A destination with no origins (a database reached over
// its own protocol, from the CLI only) is never offered here.
import { catalog } from './wasm.js';

const find = (list, id) => list.find((entry) => entry.id === id) ?? null;

/** Every builder of the catalog: [{id, name, word, address, hosts, fetched}]. */
export async function builders() {
  return (await catalog()).builders;
}

/** The builder id's catalog entry, or null (an unknown id, or none). */
export async function builderOf(id) {
  return find(await builders(), id);
}

/**
 * The destinations the extension can reach (those with origins), in the catalog's order; of
 * kind ('forge' | 'hosting' | 'database') only, when given.
 */
export async function destinations(kind) {
  const reachable = (await catalog()).destinations.filter((entry) => entry.origins.length > 0);
  return kind ? reachable.filter((entry) => entry.kind === kind) : reachable;
}

/** Destination id's catalog entry when the extension can reach it (of kind, when given), or null. */
export async function destinationOf(id, kind) {
  return find(await destinations(kind), id);
}
