import { routes } from './routes';
import { buildOpenApi } from './http/openapi';
import { WAGO_VERSION } from './version';

// Prints the OpenAPI document; needs no database.
process.stdout.write(`${JSON.stringify(buildOpenApi(routes, { version: WAGO_VERSION }), null, 2)}\n`);
