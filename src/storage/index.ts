/**
 * Assembles the stores (docs/architecture.md, "Storage"): every repository module, each checked
 * with `satisfies` against the port its feature declares, and the dashboard's read models bound
 * to the database. main/ takes them from here; nothing else imports a repository module.
 */

// ---------------------------------------------------------------- outbound

// ---------------------------------------------------------------- inbound

// ---------------------------------------------------------------- check-ins

// ---------------------------------------------------------------- dashboard

export const repositories = {
  // outbound

  // inbound

  // check-ins

  // dashboard
};
