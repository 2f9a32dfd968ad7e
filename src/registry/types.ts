/** The registry's data types (format v1). The runtime schema in schema.ts describes the same shapes. */

export const MODALITIES = [
  'ct',
  'mri',
  'xray',
  'pathology',
  'endoscopy',
  'ultrasound',
  'fundus',
  'dermatology',
  'microscopy',
  'text',
  'protein',
  'multimodal',
] as const;
export type Modality = (typeof MODALITIES)[number];

export const KINDS = ['model', 'dataset', 'benchmark', 'toolkit', 'list'] as const;
export type Kind = (typeof KINDS)[number];

export const HOSTS = [
  'https',
  'github-release',
  'huggingface',
  'google-drive',
  'google-drive-folder',
  'onedrive',
  'zenodo',
  'baidu-pan',
  'in-repo',
  'manual',
] as const;
export type HostName = (typeof HOSTS)[number];

export const ARCHIVES = ['none', 'tar', 'tar.gz', 'zip'] as const;
export type ArchiveKind = (typeof ARCHIVES)[number];

interface SourceBase {
  note?: string;
}
export interface HttpsSource extends SourceBase {
  host: 'https';
  url: string;
}
export interface GithubReleaseSource extends SourceBase {
  host: 'github-release';
  repo: string;
  tag: string;
  asset: string;
}
export interface HuggingfaceSource extends SourceBase {
  host: 'huggingface';
  repo: string;
  path?: string;
  revision?: string;
  repoType?: 'model' | 'dataset' | 'space';
  gated?: boolean;
}
export interface GoogleDriveSource extends SourceBase {
  host: 'google-drive';
  id: string;
}
export interface GoogleDriveFolderSource extends SourceBase {
  host: 'google-drive-folder';
  id: string;
}
export interface OnedriveSource extends SourceBase {
  host: 'onedrive';
  url: string;
}
export interface ZenodoSource extends SourceBase {
  host: 'zenodo';
  record: string;
  file?: string;
}
export interface BaiduPanSource extends SourceBase {
  host: 'baidu-pan';
  url: string;
  code?: string;
}
export interface InRepoSource extends SourceBase {
  host: 'in-repo';
  path: string;
}
export interface ManualSource extends SourceBase {
  host: 'manual';
  url: string;
}
export type Source =
  | HttpsSource
  | GithubReleaseSource
  | HuggingfaceSource
  | GoogleDriveSource
  | GoogleDriveFolderSource
  | OnedriveSource
  | ZenodoSource
  | BaiduPanSource
  | InRepoSource
  | ManualSource;

/** A checkpoint or a dataset: one logical file (or folder) with its sources in try order. */
export interface Artifact {
  name: string;
  description?: string;
  filename?: string;
  size?: number;
  sha256?: string;
  archive?: ArchiveKind;
  thirdParty?: boolean;
  sources: Source[];
  notes?: string[];
}

export interface License {
  spdx: string;
  note?: string;
}

export interface RepoRef {
  url: string;
  commit: string;
}

export interface CodeRef extends RepoRef {
  subfolder?: string;
  note?: string;
}

export interface Paper {
  title: string;
  venue?: string;
  year?: number;
  arxiv?: string;
  doi?: string;
  url?: string;
}

export interface Project {
  id: string;
  aliases: string[];
  name: string;
  summary: string;
  kind: Kind;
  modalities: Modality[];
  tasks: string[];
  organs: string[];
  license: License;
  repo: RepoRef;
  code?: CodeRef;
  paper?: Paper;
  bibtex?: string;
  checkpoints: Artifact[];
  datasets: Artifact[];
  notes: string[];
}

export interface Registry {
  schemaVersion: number;
  version: string;
  projects: Project[];
}

/** A licence that forbids commercial use (CC *-NC-*, and similar). */
export function isNonCommercial(license: License): boolean {
  return /(^|-)NC(-|$)/i.test(license.spdx);
}
