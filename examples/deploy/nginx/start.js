#!/usr/bin/env node
// Starts a reference deployment on loopback: N colloquy-server instances on one PostgreSQL
// database and nginx in front of them, from nginx.conf.template. No root needed: nginx runs
// with a prefix directory of its own (-p), which holds its configuration, pid file, logs,
// temporary files and cache.
//
//   DATABASE_URL=postgres://… node examples/deploy/nginx/start.js [--instances 2] [--port 8700]
//
// Prints the address nginx listens on; Ctrl-C stops everything. The instances get the same
// settings from the environment (COLLOQUY_ALLOWED_ORIGINS, COLLOQUY_SECRET, …), and trust
// nginx (127.0.0.1) as their proxy. `npm run build` first: the instances are the built CLI.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../../../scripts/free-port.js';
import { startServerProcess } from '../../../scripts/server-process.js';

const TEMPLATE = fileURLToPath(new URL('./nginx.conf.template', import.meta.url));
export const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
/** How long nginx keeps an instance marked down after failed connections, in seconds. */
export const FAIL_TIMEOUT_S = 3;

/** The configuration for instances on `ports`, nginx listening on `listen`, files under `prefix`. */
export function nginxConfig({ ports, listen, prefix }) {
  const servers = (extra) => ports.map((port) => `    server 127.0.0.1:${port}${extra};`).join('\n');
  return readFileSync(TEMPLATE, 'utf8')
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{LISTEN}}', listen)
    .replace('{{SERVERS_API}}', servers(` max_fails=3 fail_timeout=${FAIL_TIMEOUT_S}s`))
    .replace('{{SERVERS_STREAMS}}', servers(' max_fails=0'));
}

/** Resolves once `url` answers (any status), or rejects after `timeoutMs`. */
async function answering(url, timeoutMs = 10_000) {
  const started = Date.now();
  for (;;) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw new Error(`${url} does not answer: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Starts `instances` servers on DATABASE_URL `databaseUrl` and nginx in front of them.
 * `env`: settings for every instance. `seed`: seed the demo topic (once, whichever starts first).
 */
export async function startDeployment({ databaseUrl, instances = 2, port = 0, env = {}, seed = true }) {
  if (!existsSync(NGINX))
    throw new Error(`nginx not found at ${NGINX} (apt-get install nginx, or set NGINX)`);
  const prefix = mkdtempSync(join(tmpdir(), 'colloquy-nginx-'));
  // nginx's workers run as an unprivileged user when it is started as root: they must reach
  // the cache and temporary directories inside the prefix.
  chmodSync(prefix, 0o755);
  mkdirSync(join(prefix, 'tmp'));
  const ports = [];
  for (let k = 0; k < instances; k++) ports.push(await freePort());
  const listenPort = port || (await freePort());
  const instanceEnv = {
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    // One secret for all, so a proof-of-work challenge from one instance verifies on another.
    COLLOQUY_SECRET: env.COLLOQUY_SECRET ?? randomBytes(32).toString('hex'),
    COLLOQUY_TRUSTED_PROXIES: '127.0.0.1',
    ...env,
  };
  const start = (k) =>
    startServerProcess({ env: { ...instanceEnv, PORT: String(ports[k]) }, args: seed ? ['--seed'] : [] });
  const servers = await Promise.all(ports.map((_, k) => start(k)));

  const config = join(prefix, 'nginx.conf');
  writeFileSync(config, nginxConfig({ ports, listen: `127.0.0.1:${listenPort}`, prefix }));
  const test = spawnSync(NGINX, ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', config, '-t'], {
    encoding: 'utf8',
  });
  if (test.status !== 0) {
    await Promise.all(servers.map((s) => s.stop()));
    throw new Error(`nginx refused the configuration:\n${test.stderr}`);
  }
  const nginx = spawn(
    NGINX,
    ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', config, '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const nginxExited = new Promise((resolve) => nginx.once('exit', resolve));
  const url = `http://127.0.0.1:${listenPort}`;
  await answering(`${url}/healthz`);

  const deployment = {
    url,
    prefix,
    ports,
    /** The running instances, by index; restart() and kill() replace entries. */
    servers,
    /** Stops instance `k` gracefully (SIGTERM) and starts it again on the same port. */
    async restart(k) {
      await servers[k].stop('SIGTERM');
      servers[k] = await start(k);
    },
    /**
     * Restarts every instance in turn, each after the one before is answering again and
     * nginx's fail_timeout has passed, so nginx never has every instance marked down at once.
     */
    async rollingRestart() {
      for (let k = 0; k < servers.length; k++) {
        await deployment.restart(k);
        await answering(`${servers[k].url}/healthz`);
        await new Promise((resolve) => setTimeout(resolve, FAIL_TIMEOUT_S * 1000 + 500));
      }
    },
    /** Kills instance `k` with no warning (SIGKILL). */
    async kill(k) {
      await servers[k].stop('SIGKILL');
    },
    /** Starts instance `k` again after kill(). */
    async revive(k) {
      servers[k] = await start(k);
    },
    /** nginx's error log so far. */
    errorLog: () => readFileSync(join(prefix, 'error.log'), 'utf8'),
    async stop() {
      // SIGTERM: a fast shutdown. (SIGQUIT would wait for open event streams to end.)
      if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill('SIGTERM');
      await nginxExited;
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(prefix, { recursive: true, force: true });
    },
  };
  return deployment;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { instances: { type: 'string', default: '2' }, port: { type: 'string', default: '0' } },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('Set DATABASE_URL to the PostgreSQL database the instances share (postgres://…).');
    process.exit(2);
  }
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) {
    console.error('--instances must be a whole number from 1 to 16.');
    process.exit(2);
  }
  const deployment = await startDeployment({ databaseUrl, instances, port: Number(values.port) });
  console.log(
    `nginx on ${deployment.url} in front of ${instances} instances (ports ${deployment.ports.join(', ')}); files in ${deployment.prefix}`,
  );
  const stop = async () => {
    await deployment.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
