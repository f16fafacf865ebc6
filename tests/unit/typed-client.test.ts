import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { routes } from '../../server/routes';
import { buildOpenApi } from '../../server/http/openapi';
import { WAGO_VERSION } from '../../server/version';

// docs/typed-client.md: types generated from WaGo's OpenAPI document with openapi-typescript,
// used through openapi-fetch. A program using the documented field names compiles; a wrong
// field name does not.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const goodProgram = `
import createClient from 'openapi-fetch';
import type { paths } from './wago';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:1337', headers: { token: 'session-token' } });

export async function sendHello(): Promise<string> {
  const { data, error } = await client.POST('/send/text', { body: { Phone: '5511999999999', Body: 'Hello!' } });
  if (error) throw new Error(error.error);
  const id: string = data.data.Id;
  const lid: string | null = data.data.Lid;
  return lid ?? id;
}

export async function status(): Promise<boolean> {
  const { data } = await client.GET('/session/status');
  return data?.success ?? false;
}
`;

const wrongFieldProgram = goodProgram.replace("Phone: '5511999999999'", "phone: '5511999999999'");
const wrongAnswerProgram = goodProgram.replace('data.data.Id', 'data.data.MessageId');

// One program for all files, so the libraries and the generated types are read once.
function typeCheck(dir: string, files: string[]): Map<string, string[]> {
  const program = ts.createProgram(
    files.map((file) => join(dir, file)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipDefaultLibCheck: true,
    },
  );
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  assert.deepEqual(global.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  const byFile = new Map<string, string[]>();
  for (const file of [...files, 'wago.d.ts']) {
    const source = program.getSourceFile(join(dir, file));
    assert.ok(source, `${file} is part of the program`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    byFile.set(file, diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')));
  }
  return byFile;
}

test('types generated from /openapi.json type-check an openapi-fetch client, and catch wrong field names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wago-typed-client-'));
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const document = buildOpenApi(routes, { version: WAGO_VERSION }) as unknown as OpenAPI3;
    const types = astToString(await openapiTS(document));
    assert.match(types, /"\/send\/text": \{/);
    writeFileSync(join(dir, 'wago.d.ts'), types);
    writeFileSync(join(dir, 'good.ts'), goodProgram);
    writeFileSync(join(dir, 'wrong-field.ts'), wrongFieldProgram);
    writeFileSync(join(dir, 'wrong-answer.ts'), wrongAnswerProgram);

    const result = typeCheck(dir, ['good.ts', 'wrong-field.ts', 'wrong-answer.ts']);
    assert.deepEqual(result.get('wago.d.ts'), []);
    assert.deepEqual(result.get('good.ts'), []);

    const wrongField = result.get('wrong-field.ts') ?? [];
    assert.ok(wrongField.length > 0, 'a body with `phone` instead of `Phone` must not compile');
    assert.match(wrongField.join('\n'), /'phone'/);

    assert.match((result.get('wrong-answer.ts') ?? []).join('\n'), /'MessageId' does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
