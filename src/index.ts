/** The programmatic API of openmedlab. The CLI is built on exactly these functions. */
export { type CiteOptions, cite } from './api/cite.js';
export { describeProject, type InfoOptions, info, type ProjectInfo } from './api/info.js';
export { type ListOptions, listProjects } from './api/list.js';
export { type RegistryInfo, registryInfo, validateRegistryFile } from './api/registry.js';
export { type SearchOptions, type SearchResult, search } from './api/search.js';
export type { CiteFormat } from './cite/format.js';
export { type Context, type ContextOverrides, createContext, type Endpoints } from './context.js';
export { ERROR_CODES, type ErrorCode, ExitCode, IntegrityError, isOmlError, OmlError } from './errors.js';
export type { EventSink, OmlEvent } from './events.js';
export { registryJsonSchema, registryJsonSchemaText } from './registry/json-schema.js';
export { bundledRegistryFile, type LoadedRegistry, loadRegistry, parseRegistry } from './registry/load.js';
export {
  filterProjects,
  findProject,
  type ListFilter,
  type ProjectSummary,
  summarize,
} from './registry/query.js';
export { registrySchema, SCHEMA_VERSION } from './registry/schema.js';
export { toJsonSchema } from './registry/schema-dsl.js';
export type * from './registry/types.js';
export { formatProblem, type RegistryProblem, validateRegistryText } from './registry/validate.js';
export { VERSION } from './version.js';
