import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mutateBody, pick, rawBody, sampleOf, wrongParameter, wrongValue, type JsonSchema, type Random } from './support/fuzz-inputs.js';
import { seededRandom, testSeed } from './support/seeded-random.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly pathParameters: readonly string[];
  readonly queryParameters: readonly { name: string; schema?: JsonSchema }[];
  readonly body?: JsonSchema;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: JsonSchema }[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}

const requestCount = 10_000;
const concurrency = 8;
const streamingPaths = new Set(['/api/events']);

let server: ApiServer;
/** As the administrator, so malformed input gets past authentication to validation and the handlers. */
let adminHeaders: Record<string, string>;

before(async () => {
  server = await startApiServer();
  adminHeaders = { authorization: `Bearer ${await server.adminToken()}` };
});

after(async () => {
  await server.stop();
});

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      return {
        method: method.toUpperCase(),
        path,
        pathParameters: parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
        queryParameters: parameters.filter((parameter) => parameter.in === 'query').map(({ name, schema }) => ({ name, ...(schema ? { schema } : {}) })),
        ...(operation.requestBody?.content?.['application/json']?.schema ? { body: operation.requestBody.content['application/json'].schema } : {}),
      };
    }),
  );
}

/** Path parameters are mostly plausible names (to reach the handler) and sometimes hostile. */
function urlFor(operation: Operation, random: Random): string {
  let path = operation.path;
  for (const name of operation.pathParameters) {
    const value = random() < 0.5 ? pick(random, ['fuzzapp', 'missing', 'v000', 'local', 'us-east', '1']) : wrongParameter(random);
    path = path.replace(`{${name}}`, value);
  }
  const query = operation.queryParameters
    .filter(() => random() < 0.6)
    .map((parameter) => {
      const value = random() < 0.3 ? String(sampleOf(parameter.schema, random)) : random() < 0.5 ? wrongParameter(random) : JSON.stringify(wrongValue(random)).slice(0, 300);
      return `${encodeURIComponent(parameter.name)}=${value}`;
    });
  if (random() < 0.2) query.push(`unknownParameter=${wrongParameter(random)}`);
  return query.length === 0 ? path : `${path}?${query.join('&')}`;
}

function requestFor(operation: Operation, random: Random): { url: string; init: RequestInit } {
  const url = urlFor(operation, random);
  if (operation.method === 'GET' || operation.method === 'HEAD' || operation.method === 'DELETE') {
    return { url, init: { method: operation.method, headers: adminHeaders } };
  }
  if (random() < 0.25) {
    const raw = rawBody(random);
    return { url, init: { method: operation.method, body: raw.text, headers: { ...adminHeaders, 'content-type': raw.contentType } } };
  }
  const body = mutateBody(sampleOf(operation.body, random), random);
  return { url, init: { method: operation.method, body: JSON.stringify(body), headers: { ...adminHeaders, 'content-type': 'application/json' } } };
}

interface Failure {
  readonly request: string;
  readonly status: number;
  readonly body: string;
}

function checkResponse(status: number, text: string, contentType: string | null): string | undefined {
  if (status >= 500) return 'a 5xx answer to bad input';
  if (status < 400 || !(contentType ?? '').includes('application/json')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'an error body that is not JSON';
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error;
  if (typeof error?.code !== 'string' || !error.code.startsWith('GNK_E_')) return 'an error body without a GNK_E_ code';
  if (typeof error.message !== 'string' || error.message === '') return 'an error body without a message';
  if (!Array.isArray(error.details)) return 'an error body without details';
  return undefined;
}

test(`${requestCount} malformed requests across every route: no 5xx, no crash, every error body well-formed`, { timeout: 180_000 }, async () => {
  const seed = testSeed();
  console.log(`fuzz seed ${seed} (GENNAKER_TEST_SEED=${seed} repeats this run)`);
  const random = seededRandom(seed);
  await server.gennaker.store.applications.create('fuzzapp', { owner: 'fuzz@example.com' });
  const document = (await server.request('GET', '/api/openapi.json')).body as OpenApiDocument;
  const operations = operationsOf(document);
  assert.ok(operations.length > 0, 'the OpenAPI document lists the routes');
  const failures: Failure[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < requestCount) {
      sent += 1;
      const operation = operations[sent % operations.length] as Operation;
      const { url, init } = requestFor(operation, random);
      const controller = new AbortController();
      const response = await fetch(new URL(url, server.url), { ...init, signal: controller.signal });
      const streaming = streamingPaths.has(operation.path) && response.status < 400;
      const text = streaming ? '' : await response.text();
      if (streaming) controller.abort();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const problem = checkResponse(response.status, text, response.headers.get('content-type'));
      if (problem !== undefined) failures.push({ request: `${init.method} ${url.slice(0, 200)} ${String(init.body ?? '').slice(0, 200)}`, status: response.status, body: `${problem}: ${text.slice(0, 300)}` });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  console.log(`fuzz: ${sent} requests over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} bad answers`);
  const health = await server.request('GET', '/health');
  assert.equal(health.status, 200, 'the server still answers after the fuzzing');
});
