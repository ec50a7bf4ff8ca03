// `node --import ./record-modules.mjs`: records every module the process loads in the file named
// by FLIGHTDECK_MODULE_LOG, so a test can prove what a production start does not load.
import { register } from 'node:module';

register('./module-log-hooks.mjs', import.meta.url, {
  data: { logPath: process.env.FLIGHTDECK_MODULE_LOG },
});
