import { parseArgs } from 'node:util';
import { startSandbox } from './start-sandbox.js';
import { storyNames } from './story.js';

/** `pnpm --filter @flightdeck/sandbox start [--aws-port 4566] [--db-port 54329] [--host 127.0.0.1] [--quiet]` */
const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    'aws-port': { type: 'string', default: '4566' },
    'db-port': { type: 'string', default: '54329' },
    quiet: { type: 'boolean', default: false },
  },
});

const sandbox = await startSandbox({
  host: values.host,
  awsPort: Number(values['aws-port']),
  dbPort: Number(values['db-port']),
  quiet: values.quiet,
});

console.log(`Flightdeck sandbox is up.

  AWS endpoint   ${sandbox.awsEndpoint}   (region ${sandbox.region}, any credentials)
  Database       ${sandbox.databaseUrl}
  Alembic        ${sandbox.versionsDir}
  Control API    ${sandbox.awsEndpoint}/_sandbox/state

  DB instance ${storyNames.dbInstance}, functions ${storyNames.backendFunction},
  ${storyNames.workerFunction} and ${storyNames.sqlFunction}; revision ${storyNames.currentRevision}, head ${storyNames.headRevision}.

  e.g. AWS_ENDPOINT_URL=${sandbox.awsEndpoint} AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_REGION=${sandbox.region} aws rds describe-db-instances
       curl -X POST ${sandbox.awsEndpoint}/_sandbox/migrations/apply
`);

const stop = () => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
