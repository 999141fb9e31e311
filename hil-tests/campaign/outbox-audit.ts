/**
 * What a stopped gateway's database says it committed: the highest seq it ever handed out (the
 * outbox's AUTOINCREMENT counter, gateway/store/migrations.ts, which never reuses a number),
 * the seqs still waiting in the outbox, and the evicted count. Read after the gateway has
 * exited, so the campaign can say of every seq 1..max: delivered, still held, or lost.
 */
import Database from 'better-sqlite3';

export interface OutboxAudit {
  maxSeq: number;
  pending: Set<number>;
  evicted: number;
}

export function auditOutbox(dbPath: string): OutboxAudit {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const seqRow = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number } | undefined;
    const pending = new Set((db.prepare('SELECT id FROM outbox').all() as Array<{ id: number }>).map((r) => r.id));
    const evictedRow = db.prepare("SELECT value FROM meta WHERE key = 'evicted'").get() as { value: number } | undefined;
    return { maxSeq: seqRow?.seq ?? 0, pending, evicted: evictedRow?.value ?? 0 };
  } finally {
    db.close();
  }
}
