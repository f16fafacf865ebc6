import { writeFileSync } from 'node:fs';
import { routes } from './routes';
import { buildOpenApi } from './http/openapi';
import { WAGO_VERSION } from './version';

// Prints the OpenAPI document (or writes it with `--out FILE`); needs no database.
// `npm run` prints its own banner on stdout: use `npm run --silent openapi > file` or `--out`.
const document = `${JSON.stringify(buildOpenApi(routes, { version: WAGO_VERSION }), null, 2)}\n`;
const out = process.argv.indexOf('--out');
if (out >= 0 && process.argv[out + 1]) writeFileSync(process.argv[out + 1], document);
else process.stdout.write(document);
