/** Reading an organization snapshot: organization.json, one GAAD file per account, loose files. Pure: callers read the files. */
export { formatProblem, problemAt, type SnapshotProblem } from './problems';
export { ORGANIZATION_FILE, ORG_POLICY_TYPES, organizationContract, organizationJsonSchema, parseOrganization, type OrganizationRead } from './organization';
export { GAAD_LISTS, isAuthorizationDetails, parseAuthorizationDetails, type AccountRead, type SnapshotLocation } from './gaad';
export { LOOSE_DOCUMENTS_ACCOUNT, accountFileId, readSnapshot, type SnapshotAccountFile, type SnapshotFile, type SnapshotInput, type SnapshotRead, type SnapshotUnreadable } from './read';
export { collectReportContract, parseCollectReport } from './collect';
export { CODE_IAM_TYPES, CODE_ROLE_TYPE, DECLARED_ROLE_TAG, snapshotFromCode, type CodeProblem, type CodeResource, type CodeSnapshot, type CodeSnapshotOptions } from './pulumi';
export { authorizationDetailsOf, organizationFileOf, snapshotFiles, type SnapshotFileText } from './write';
