import { before, after } from 'node:test';
import { createTestDatabase, type TestDatabase } from './db';
import { startTestWago, type TestWago } from './wago';

/** A test file's own WaGo (in-process, on a fresh database), there from its first test to its last. */
export interface FileWago {
  readonly wago: TestWago;
  readonly db: TestDatabase;
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the test file\'s WaGo is not started: use it inside a test');
  return value;
}

/** Starts a `FileWago` before the file's tests and stops it after them; call it once, at the top of the file. */
export function wagoForFile(): FileWago {
  let db: TestDatabase | undefined;
  let wago: TestWago | undefined;
  before(async () => {
    db = await createTestDatabase();
    wago = await startTestWago({ databaseUrl: db.url });
  });
  after(async () => {
    await wago?.stop();
    await db?.drop();
  });
  return {
    get wago() {
      return started(wago);
    },
    get db() {
      return started(db);
    },
  };
}
