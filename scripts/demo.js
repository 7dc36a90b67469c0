// `npm start`: the Colloquy API (seeded with the demo topic) and the example host page, on two
// origins as in real use.
import { randomBytes } from 'node:crypto';
import { startServerProcess } from './server-process.js';
import { serveExample } from '../examples/script-tag/serve.js';

const apiPort = Number(process.env.PORT ?? 8787);
const demoPort = Number(process.env.DEMO_PORT ?? 8080);

// The console needs a token to sign in with: the one configured, else one made for this run.
const adminToken = process.env.COLLOQUY_ADMIN_TOKEN || randomBytes(18).toString('base64url');
const api = await startServerProcess({
  env: { PORT: String(apiPort), DEMO_PORT: String(demoPort), COLLOQUY_ADMIN_TOKEN: adminToken },
  args: ['--seed'],
});
api.child.stdout.pipe(process.stdout);
const apiOrigin = `http://localhost:${api.port}`;

let site;
try {
  site = await serveExample({ port: demoPort, apiOrigin });
} catch (error) {
  console.error(`Could not serve the demo page on port ${demoPort}: ${error.message}`);
  console.error('Set DEMO_PORT to a free port.');
  await api.stop();
  process.exit(1);
}

console.log(`\nColloquy demo`);
console.log(`  host page  ${site.url}`);
console.log(`  API        ${apiOrigin}/api/v1/topics/rsp-update`);
console.log(`  console    ${apiOrigin}/admin`);
console.log(
  process.env.COLLOQUY_ADMIN_TOKEN
    ? '             (sign in with COLLOQUY_ADMIN_TOKEN)'
    : `             (sign in with the token ${adminToken}, made for this run; set COLLOQUY_ADMIN_TOKEN to choose one)`,
);
console.log(`  database   ${process.env.COLLOQUY_DB ?? './data/colloquy.db'}`);
console.log('Press Ctrl+C to stop.');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.all([site.close(), api.stop()]);
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
api.child.once('exit', (code) => {
  if (!stopping) {
    console.error(`The API server stopped (exit ${code}).`);
    process.exit(1);
  }
});
