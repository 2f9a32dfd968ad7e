/**
 * The programmatic API of openmedlab. The CLI is built on exactly these functions. Every function
 * takes one options object with a `ctx` (from createContext) and, where it does work worth watching,
 * an `events` sink; the library never prints, never reads process.env outside createContext, and
 * never exits: failures reject with an OmlError whose `code` maps to the CLI's exit code.
 *
 * @example
 * import { createContext, findProject, get, listProjects } from 'openmedlab';
 * const ctx = createContext({ cacheDir: '/data/oml-cache' });
 * const ct = await listProjects({ ctx, filter: { modality: ['ct'], hasWeights: true } });
 * const result = await get({ ctx, id: ct[0].id, events: (e) => console.error(e.type) });
 */

export {
  type CacheDuOptions,
  type CacheDuResult,
  cacheDu,
  type Usage as CacheUsage,
} from './api/cache-du.js';
export { type CacheImportOptions, cacheImport } from './api/cache-import.js';
export {
  type CachedCheckpointInfo,
  type CachedFileInfo,
  type CachedMirrorInfo,
  type CachedProjectInfo,
  type CacheLsOptions,
  type CacheLsResult,
  cacheLs,
} from './api/cache-ls.js';
export { type CachePathOptions, cachePath } from './api/cache-path.js';
export {
  type CachePruneOptions,
  type CachePruneResult,
  cachePrune,
  parseDuration,
} from './api/cache-prune.js';
export { type CacheRmOptions, type CacheRmResult, cacheRm, type RemovedItem } from './api/cache-rm.js';
export {
  type CacheVerifyOptions,
  type CacheVerifyResult,
  type CorruptBlob,
  cacheVerify,
} from './api/cache-verify.js';
export { type CiteOptions, cite } from './api/cite.js';
export {
  type CloneOptions,
  type CloneResult,
  type CloneWhich,
  clone,
  codeStep,
} from './api/clone.js';
export {
  type CheckResult,
  type CheckStatus,
  type ConfigStatus,
  type DoctorOptions,
  type DoctorReport,
  doctor,
} from './api/doctor.js';
export { type FindProjectOptions, findProject } from './api/find-project.js';
export { get } from './api/get.js';
export type { FreeSpace, SpaceCheck } from './api/get-space.js';
export type {
  CheckpointResult,
  CodeStep,
  FileResult,
  GetOptions,
  GetResult,
  PlannedCheckpoint,
  SourceUsed,
  VerifiedBy,
} from './api/get-types.js';
export { describeProject, type InfoOptions, info, type ProjectInfo } from './api/info.js';
export { type ListOptions, listProjects } from './api/list.js';
export { type LockOptions, type LockResult, lock } from './api/lock.js';
export {
  type RegistryInfo,
  registryInfo,
  type ValidateReport,
  validateRegistryFile,
} from './api/registry.js';
export { type SearchOptions, type SearchResult, search } from './api/search.js';
export type { LockEntry } from './cache/lockfile.js';
export type { CiteFormat } from './cite/format.js';
export { type LoadedConfig, loadConfig } from './config/load.js';
export type { ConfigValues, SettingKey, SettingSource } from './config/settings.js';
export {
  type Context,
  type ContextOverrides,
  configLocation,
  createContext,
  type Endpoints,
} from './context.js';
export {
  ERROR_CODES,
  type ErrorCode,
  ExitCode,
  IntegrityError,
  isOmlError,
  OmlError,
} from './errors.js';
export { type EventSink, type OmlEvent, type OmlEventType, silentSink } from './events.js';
export type { LfsReport } from './git/lfs.js';
export type { SubmoduleResult } from './git/materialize.js';
export type { MirrorStrategy } from './git/mirror.js';
export { registryJsonSchema, registryJsonSchemaText } from './registry/json-schema.js';
export {
  bundledRegistryFile,
  type LoadedRegistry,
  loadRegistry,
  parseRegistry,
} from './registry/load.js';
export {
  filterProjects,
  /** Synchronous lookup in an already loaded registry (the async `findProject` loads it first). */
  findProject as lookupProject,
  type ListFilter,
  type ProjectSummary,
  summarize,
} from './registry/query.js';
export { registrySchema, SCHEMA_VERSION } from './registry/schema.js';
export { toJsonSchema } from './registry/schema-dsl.js';
export type * from './registry/types.js';
export { formatProblem, type RegistryProblem, validateRegistryText } from './registry/validate.js';
export { VERSION } from './version.js';
