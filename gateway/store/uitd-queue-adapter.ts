import type { UitdQueueStore } from '../forward/uitd/queue-store.js';
import type { UitdQueueItem } from '../forward/uitd/types.js';
import type { Store, StoredUitdItem } from './store.js';

/**
 * The UITD link's send queue (gateway/forward/uitd/queue-store.ts) kept in the gateway's store,
 * so a power cut loses no message for the fire monitoring centre (DESIGN.md principle 3). The
 * link never waits on these promises to send (principle 1); it only needs them to settle.
 *
 *   new UitdLink({ …, store: storeBackedUitdQueue(store) })
 *
 * The imports from gateway/forward are type-only (erased at build): the store does not
 * depend on the forwarder at run time, and the forwarder does not import the store at all.
 */
export function storeBackedUitdQueue(
  store: Pick<Store, 'uitdQueueLoad' | 'uitdQueueAdd' | 'uitdQueueRemove'>,
): UitdQueueStore {
  return {
    load: () => store.uitdQueueLoad(),
    add: (item) => store.uitdQueueAdd(item),
    remove: (id) => store.uitdQueueRemove(id),
  };
}

// store.ts declares StoredUitdItem rather than importing UitdQueueItem; these fail to
// compile if the two ever stop being the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<StoredUitdItem, UitdQueueItem> = true;
void sameShape;
