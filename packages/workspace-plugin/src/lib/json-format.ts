// The registry owns how accounts.json is printed (packages/registry/src/write.ts); the plugin re-exports it.
export { PRINT_WIDTH, formatJson } from '@trustline/registry';
