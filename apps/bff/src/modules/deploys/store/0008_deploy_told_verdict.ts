import type { Kysely } from 'kysely';

export const name = '0008_deploy_told_verdict';

// The current gate's verdict as last told to the webhooks (deploy.verdict-changed): a flip is
// told once, by whichever evaluation stores it first, not by what a replica remembers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deploys').addColumn('told_verdict', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deploys').dropColumn('told_verdict').execute();
}
