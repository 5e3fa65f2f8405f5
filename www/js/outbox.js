// outbox.js - what was sent but not yet stored, kept across reloads in
// IndexedDB (a farmer's 2G drops, the page is closed): resent with its own
// clientMessageId (the server answers a repeat with the first, so never
// twice) when the conversation opens again or the socket comes back.  And
// a draft per conversation, in localStorage.  Without IndexedDB (a private
// window of some browsers) the outbox keeps nothing, quietly.
const DB = 'chat-outbox';
const STORE = 'messages';

let opened = null;
function db() {
  if (typeof indexedDB === 'undefined') return Promise.resolve(null);
  opened ??= new Promise((resolve) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientMessageId' })
      .createIndex('conversation', 'conversationId');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
  });
  return opened;
}

async function run(mode, fn) {
  const d = await db();
  if (!d) return null;
  return new Promise((resolve) => {
    const tx = d.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req?.result ?? null);
    tx.onerror = () => resolve(null);
    tx.onabort = () => resolve(null);
  });
}

// { clientMessageId, conversationId, body, at }
export const keep = (entry) => run('readwrite', (s) => s.put(entry));
export const forget = (clientMessageId) => run('readwrite', (s) => s.delete(clientMessageId));
export async function waiting(conversationId) {
  const all = await run('readonly', (s) => s.index('conversation').getAll(conversationId));
  return (all ?? []).sort((a, b) => a.at - b.at);
}

const draftKey = (conversationId) => `draft:${conversationId}`;
export const draft = (conversationId) => localStorage.getItem(draftKey(conversationId)) ?? '';
export function saveDraft(conversationId, text) {
  if (text) localStorage.setItem(draftKey(conversationId), text);
  else localStorage.removeItem(draftKey(conversationId));
}
