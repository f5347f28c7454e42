import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { GennakerError } from '../../core/errors.js';
import { invalidPipelineError } from '../../core/pipeline/invalid-pipeline-error.js';
import type { Issue } from '../../core/pipeline/issue.js';
import { revisionDiff } from '../../core/pipeline/revision-diff.js';
import { validatePipeline } from '../../core/pipeline/validate.js';
import type { PipelineRevision, StoredPipelineConfig } from '../../store/pipeline-configs.js';
import { principalOf } from '../access.js';
import type { ApiApp, ApiDependencies } from '../server.js';
import { applicationInPath, applicationParams, errorResponses, idParams, ifMatchHeaders, ifMatchVersion, pipelineApplication } from './shared.js';

/** A pipeline in Spinnaker's JSON; the pipeline validator, not this schema, judges its fields. */
const pipelineDocument = z.record(z.string(), z.unknown(), { error: 'expected a pipeline: an object with name and stages' });

const issueSchema = z.object({ refId: z.string().optional(), path: z.string(), expected: z.string(), message: z.string() });

const pipelineSchema = z.object({
  id: z.string(),
  application: z.string(),
  name: z.string(),
  revision: z.number(),
  updatedAt: z.number(),
  updatedBy: z.string(),
  /** As its author wrote it: send it back changed to update the pipeline. */
  pipeline: z.record(z.string(), z.unknown()),
});

const savedSchema = pipelineSchema.extend({ warnings: z.array(issueSchema) });

const revisionSummary = z.object({ revision: z.number(), author: z.string(), createdAt: z.number() });

const changeSchema = z.object({
  kind: z.enum(['added', 'removed', 'changed']),
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

const revisionParams = z.strictObject({ id: idParams.shape.id, revision: z.coerce.number().int({ error: 'expected a revision number' }).min(1, { error: 'expected a revision number' }) });

function toBody(saved: StoredPipelineConfig, latest: PipelineRevision | undefined): z.output<typeof pipelineSchema> {
  return {
    id: saved.id,
    application: saved.application,
    name: saved.name,
    revision: saved.version,
    updatedAt: saved.updatedAt,
    updatedBy: latest?.author ?? 'unknown',
    pipeline: { ...(latest?.body ?? saved.body) },
  };
}

/** A pipeline id the caller chooses ends up in URLs: letters, digits, `.`, `_` and `-` only. */
function pipelineId(given: unknown): string {
  if (typeof given === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(given)) return given;
  throw new GennakerError('GNK_E_VALIDATION', 'a pipeline id has letters, digits, ".", "_" and "-" only (or leave it out for a generated one)', [
    { path: 'body.id', expected: 'letters, digits, ".", "_" and "-", at most 200' },
  ]);
}

/** A field the path fixes may be repeated in the body, but not contradicted. */
function agreeing(document: Readonly<Record<string, unknown>>, field: 'application' | 'id', fixed: string): void {
  const given = document[field];
  if (given !== undefined && given !== fixed) {
    throw new GennakerError('GNK_E_VALIDATION', `body.${field} is ${JSON.stringify(given)} but the path says ${JSON.stringify(fixed)}`, [
      { path: `body.${field}`, expected: JSON.stringify(fixed) },
    ]);
  }
}

export function registerPipelineRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { store, providers } = deps;
  const tags = ['pipelines'];
  const ofPipeline = pipelineApplication(store);

  function validated(document: Readonly<Record<string, unknown>>, subject: string): { body: Record<string, unknown>; name: string; warnings: readonly Issue[] } {
    const known = new Set(providers.accounts().map((account) => account.name));
    const result = validatePipeline(document, { references: { accountExists: (name) => known.has(name) } });
    if (!result.ok) throw invalidPipelineError(subject, result.errors);
    return { body: result.pipeline as unknown as Record<string, unknown>, name: result.pipeline.name, warnings: result.warnings };
  }

  async function existing(id: string): Promise<StoredPipelineConfig> {
    const saved = await store.pipelineConfigs.get(id);
    if (!saved) throw new GennakerError('GNK_E_NOT_FOUND', `pipeline ${id} does not exist`, [{ path: 'params.id' }]);
    return saved;
  }

  async function nameFree(application: string, name: string, id: string): Promise<void> {
    const holder = await store.pipelineConfigs.findByName(application, name);
    if (holder && holder.id !== id) {
      throw new GennakerError('GNK_E_ALREADY_EXISTS', `application ${application} already has a pipeline named ${JSON.stringify(name)} (${holder.id})`, [{ path: 'body.name' }]);
    }
  }

  async function save(input: { id: string; application: string; written: Record<string, unknown>; author: string; expectedVersion?: number }) {
    const written = { ...input.written, application: input.application, id: input.id };
    const checked = validated(written, `pipeline ${input.id}`);
    await nameFree(input.application, checked.name, input.id);
    const saved = await store.pipelineConfigs.save({
      id: input.id,
      application: input.application,
      name: checked.name,
      body: checked.body,
      written,
      author: input.author,
      ...(input.expectedVersion !== undefined && { expectedVersion: input.expectedVersion }),
    });
    return { ...toBody(saved, { pipelineConfigId: saved.id, revision: saved.version, body: written, author: input.author, createdAt: saved.updatedAt }), warnings: [...checked.warnings] };
  }

  app.get(
    '/api/applications/:application/pipelines',
    {
      config: { access: { kind: 'application', action: 'READ', application: applicationInPath } },
      schema: { tags, summary: "An application's pipelines", params: applicationParams, response: { 200: z.object({ pipelines: z.array(pipelineSchema) }), ...errorResponses } },
    },
    async (request) => {
      const saved = await store.pipelineConfigs.listByApplication(request.params.application);
      const latest = await Promise.all(saved.map((pipeline) => store.pipelineConfigs.revision(pipeline.id, pipeline.version)));
      return { pipelines: saved.map((pipeline, index) => toBody(pipeline, latest[index])) };
    },
  );

  app.post(
    '/api/applications/:application/pipelines',
    {
      config: { access: { kind: 'application', action: 'WRITE', application: applicationInPath } },
      schema: { tags, summary: 'Create a pipeline (validated; errors name stage refIds and fields)', params: applicationParams, body: pipelineDocument, response: { 201: savedSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const application = request.params.application;
      if (!(await store.applications.get(application))) {
        throw new GennakerError('GNK_E_NOT_FOUND', `application '${application}' does not exist`, [{ path: 'params.application' }]);
      }
      agreeing(request.body, 'application', application);
      const id = request.body['id'] === undefined ? randomUUID() : pipelineId(request.body['id']);
      if (await store.pipelineConfigs.get(id)) throw new GennakerError('GNK_E_ALREADY_EXISTS', `pipeline ${id} already exists`, [{ path: 'body.id' }]);
      const saved = await save({ id, application, written: request.body, author: principalOf(request).name });
      return reply.status(201).header('etag', `"${saved.revision}"`).send(saved);
    },
  );

  app.get(
    '/api/pipelines/:id',
    {
      config: { access: { kind: 'application', action: 'READ', application: ofPipeline } },
      schema: { tags, summary: 'One pipeline, as last written', params: idParams, response: { 200: pipelineSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const saved = await existing(request.params.id);
      return reply.header('etag', `"${saved.version}"`).send(toBody(saved, await store.pipelineConfigs.revision(saved.id, saved.version)));
    },
  );

  app.put(
    '/api/pipelines/:id',
    {
      config: { access: { kind: 'application', action: 'WRITE', application: ofPipeline } },
      schema: { tags, summary: 'Replace a pipeline: a new revision (If-Match: the revision you read, optional)', params: idParams, headers: ifMatchHeaders, body: pipelineDocument, response: { 200: savedSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const current = await existing(request.params.id);
      agreeing(request.body, 'id', current.id);
      agreeing(request.body, 'application', current.application);
      const expectedVersion = ifMatchVersion(request);
      const saved = await save({
        id: current.id,
        application: current.application,
        written: request.body,
        author: principalOf(request).name,
        ...(expectedVersion !== undefined && { expectedVersion }),
      });
      return reply.header('etag', `"${saved.revision}"`).send(saved);
    },
  );

  app.delete(
    '/api/pipelines/:id',
    {
      config: { access: { kind: 'application', action: 'WRITE', application: ofPipeline } },
      schema: { tags, summary: 'Delete a pipeline and its revisions (its past executions stay)', params: idParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      await existing(request.params.id);
      await store.pipelineConfigs.delete(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/pipelines/:id/revisions',
    {
      config: { access: { kind: 'application', action: 'READ', application: ofPipeline } },
      schema: { tags, summary: "A pipeline's revisions, newest first", params: idParams, response: { 200: z.object({ revisions: z.array(revisionSummary) }), ...errorResponses } },
    },
    async (request) => {
      await existing(request.params.id);
      const revisions = await store.pipelineConfigs.revisions(request.params.id);
      return { revisions: revisions.map(({ revision, author, createdAt }) => ({ revision, author, createdAt })) };
    },
  );

  app.get(
    '/api/pipelines/:id/revisions/:revision',
    {
      config: { access: { kind: 'application', action: 'READ', application: ofPipeline } },
      schema: {
        tags,
        summary: 'One revision, with what changed since the one before it',
        params: revisionParams,
        response: {
          200: revisionSummary.extend({ pipeline: z.record(z.string(), z.unknown()), previousRevision: z.number().optional(), changes: z.array(changeSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id, revision } = request.params;
      await existing(id);
      const found = await store.pipelineConfigs.revision(id, revision);
      if (!found) throw new GennakerError('GNK_E_NOT_FOUND', `pipeline ${id} has no revision ${revision}`, [{ path: 'params.revision' }]);
      const previous = await store.pipelineConfigs.previousRevision(id, revision);
      return {
        revision: found.revision,
        author: found.author,
        createdAt: found.createdAt,
        pipeline: { ...found.body },
        ...(previous && { previousRevision: previous.revision }),
        changes: revisionDiff(previous?.body ?? {}, found.body),
      };
    },
  );

  app.post(
    '/api/pipelines/:id/revisions/:revision/restore',
    {
      config: { access: { kind: 'application', action: 'WRITE', application: ofPipeline } },
      schema: { tags, summary: 'Save an earlier revision again, as a new revision', params: revisionParams, response: { 201: savedSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const { id, revision } = request.params;
      const current = await existing(id);
      const found = await store.pipelineConfigs.revision(id, revision);
      if (!found) throw new GennakerError('GNK_E_NOT_FOUND', `pipeline ${id} has no revision ${revision}`, [{ path: 'params.revision' }]);
      const saved = await save({ id, application: current.application, written: { ...found.body }, author: principalOf(request).name, expectedVersion: current.version });
      return reply.status(201).header('etag', `"${saved.revision}"`).send(saved);
    },
  );
}
