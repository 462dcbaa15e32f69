//! The TypeScript types of the package's arguments and answers, written into the generated
//! `.d.ts`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** What every thrown error carries besides its message. */
export interface PalisadeError extends Error {
  code: "invalid_input" | "request_error" | "compile_error";
  /** The field path of the problem: names and array indexes. */
  path?: (string | number)[];
  /** 1-based line and column in the source text. */
  position?: { line: number; column: number };
  /** Every compile error of a CEL expression. */
  issues?: CelIssue[];
  /** The 0-based document of a YAML stream. */
  document?: number;
}

export interface VersionInfo {
  palisade: string;
  kubernetesVersion: string;
  pssChecks: string[];
}

export type PssLevel = "privileged" | "baseline" | "restricted";

/** A pod (`pod`) or workload (`object`) at a level and version, or at the level `namespaceLabels` enforce. */
export interface PssRequest {
  level?: PssLevel;
  /** `v1.N` or `latest`. */
  version?: string;
  pod?: KubeObject;
  object?: KubeObject;
  namespaceLabels?: Record<string, string>;
  /** `1.N`: caps `latest` and newer versions as an API server of that version does. */
  kubernetesVersion?: string;
  /** Apply API defaulting first. */
  defaulting?: boolean;
}

export interface PssCheckResult {
  check: string;
  allowed: boolean;
  forbiddenReason?: string;
  forbiddenDetail?: string;
}

export interface PssPolicy {
  enforce: string;
  audit: string;
  warn: string;
  errors?: string[];
}

export interface PssResult {
  allowed: boolean;
  levelVersion: string;
  /** Every check upstream runs at that level and version, in upstream order. */
  results: PssCheckResult[];
  forbiddenReason?: string;
  forbiddenDetail?: string;
  message?: string;
  warning?: string;
  admissionMessage?: string;
  /** With `namespaceLabels`: the policy they select. */
  policy?: PssPolicy;
}

export interface CelOptions {
  /** `1.N`, default the newest. */
  kubernetesVersion?: string;
  /** `stored` (default) or `new`. */
  envType?: "stored" | "new";
  compatibilityVersion?: string;
  /** RBAC objects answering `authorizer` checks. */
  authorizerObjects?: KubeObject[];
  /** `json` (default) or `cel` (cel.expr.Value form). */
  valueFormat?: "json" | "cel";
}

export interface CelVars {
  object?: Json;
  oldObject?: Json;
  params?: Json;
  request?: Json;
  namespaceObject?: Json;
}

export interface CelValue {
  value: Json;
  /** The CEL type name as cel-go prints it: `int`, `uint`, `bool`, `list`, … */
  type: string;
  cost: number;
}

export interface CelRuntimeError {
  error: string;
  cost: number;
}

export type CelResult = CelValue | CelRuntimeError;

export interface CelRequest extends Omit<CelOptions, "envType"> {
  expr: string;
  vars?: CelVars;
  envType?: "stored" | "new" | "spec";
  extensions?: string[];
  disableMacros?: boolean;
  container?: string;
  typedVars?: Record<string, Json>;
}

export type CelAnswer = CelResult | { compileError: string };

export interface CelIssue {
  line: number;
  column: number;
  message: string;
}

export type CelCheck = { valid: true; type: string } | { valid: false; message: string; issues: CelIssue[] };

export interface VapRequest {
  policies?: KubeObject[];
  bindings?: KubeObject[];
  params?: KubeObject[];
  namespaces?: KubeObject[];
  apiResources?: Json[];
  equivalentResources?: Json[];
  authorizer?: Json;
  authorizerObjects?: KubeObject[];
  /** The AdmissionRequest. */
  request: { [key: string]: Json };
}

export interface VapResponse {
  allowed: boolean;
  status?: {
    code: number;
    reason: string;
    message: string;
    details?: { name?: string; group?: string; kind?: string; causes?: { message?: string; reason?: string; field?: string }[] };
  };
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

export interface AdmissionTest {
  apiVersion?: string;
  kind: "AdmissionTest";
  name?: string;
  resources?: (string | KubeObject)[];
  cases: { [key: string]: Json }[];
}

export interface AdmissionTestRun {
  passed: number;
  failed: number;
  suites: {
    name: string;
    cases: {
      name: string;
      passed: boolean;
      mismatches: { field: string; expected: string; actual: string }[];
      response: VapResponse;
    }[];
  }[];
}

export interface RbacQuery {
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
  resourceRequest?: boolean;
}

export interface RbacSubjectQuery {
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  namespace?: string;
}

export type RbacRequest = RbacQuery & RbacSubjectQuery;

export interface RbacRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RbacDecision {
  allowed: boolean;
  decision: "Allow" | "NoOpinion";
  reason: string;
  rules: {
    resourceRules: RbacRule[];
    nonResourceRules: RbacRule[];
    incomplete: boolean;
    evaluationError?: string;
  };
}

export interface RbacSubject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface WhoCan {
  subjects: RbacSubject[];
  granted: { subject: RbacSubject; grant: string }[];
  evaluationError: string | null;
}

export interface RbacRules {
  cluster: { rule: RbacRule; source: string }[];
  namespace: { rule: RbacRule; source: string }[];
  evaluationError: string | null;
}

export interface RbacAnalyzeOptions {
  privilegedNamespaces?: string[];
  includeSystem?: boolean;
}

export interface RbacFinding {
  id: string;
  severity: "critical" | "high" | "medium" | "low";
  title: string;
  subject: RbacSubject;
  namespace: string;
  binding: string | null;
  message: string;
  explanation: string;
  remediation: string;
  reference: string;
}

export interface RbacAnalysis {
  findings: RbacFinding[];
}

export type NetpolEndpoint = string | { ip: string };

export interface NetpolRequest {
  namespaces?: KubeObject[];
  pods?: KubeObject[];
  policies?: KubeObject[];
  probes: { from: NetpolEndpoint; to: NetpolEndpoint; port: number; protocol?: "TCP" | "UDP" | "SCTP" }[];
}

export interface NetpolResult {
  results: { allowed: boolean; explanation: { [key: string]: Json } }[];
}

export interface AuditRequest {
  policy: KubeObject;
  /** The request attributes, as for RBAC, and the user (null: an unauthenticated request). */
  request: RbacQuery & { user?: { username?: string; groups?: string[] } | null };
}

export interface AuditPolicyErrors {
  policyError: string;
  policyErrors: { field: string; type: string; detail: string; error: string }[];
}

export type AuditResult =
  | {
      level: "None" | "Metadata" | "Request" | "RequestResponse";
      omitStages: string[];
      omitManagedFields: boolean;
      matchedRule: number | null;
      warnings?: string[];
    }
  | AuditPolicyErrors;

export type AuditLint =
  | {
      findings: { id: string; name: string; severity: "low" | "medium" | "high"; rule: number | null; message: string }[];
      warnings: string[];
    }
  | AuditPolicyErrors;

export interface ProtocolRequest {
  op: "version" | "pss" | "cel" | "vap" | "rbac" | "netpol" | "audit";
  id?: Json;
  [key: string]: Json | undefined;
}

export interface ProtocolResponse {
  id?: Json;
  requestError?: string;
  [key: string]: Json | undefined;
}
"#;
