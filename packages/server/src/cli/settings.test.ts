import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSettings, readSettings, UsageError, type Setting } from './settings.js';
import { SERVE_SETTINGS, USAGE } from './serve.js';

const size: Setting<number> = {
  flag: 'size',
  env: 'TEST_SIZE',
  value: 'N',
  help: 'how big',
  shownDefault: '3',
  parse: (text) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`size must be a number, got "${text}".`);
    return Number(text);
  },
  fallback: () => 3,
};
const TABLE = {
  size,
  twice: {
    flag: null,
    env: 'TEST_TWICE',
    help: 'twice the size',
    parse: Number,
    fallback: (earlier) => 2 * (earlier.size as number),
  } satisfies Setting<number>,
  loud: {
    flag: 'loud',
    env: 'TEST_LOUD',
    help: 'shout',
    parse: (text) => text === '1',
    fallback: () => false,
  } satisfies Setting<boolean>,
};

describe('a table of settings', () => {
  it('reads flags over variables over defaults, a default seeing the settings before it', () => {
    assert.deepEqual(readSettings(TABLE, {}, []), { size: 3, twice: 6, loud: false });
    assert.deepEqual(readSettings(TABLE, { TEST_SIZE: '4', TEST_LOUD: '1' }, []), {
      size: 4,
      twice: 8,
      loud: true,
    });
    assert.deepEqual(readSettings(TABLE, { TEST_SIZE: '4' }, ['--size=5', '--loud']), {
      size: 5,
      twice: 10,
      loud: true,
    });
    assert.deepEqual(readSettings(TABLE, { TEST_SIZE: '' }, ['--size', '7']), {
      size: 7,
      twice: 14,
      loud: false,
    });
    assert.equal(readSettings(TABLE, { TEST_SIZE: '' }, []).size, 3, 'an empty variable is unset');
  });

  it('refuses what the table does not know, values it cannot read and flags without a value', () => {
    const refused = (args: string[], message: string) =>
      assert.throws(
        () => readSettings(TABLE, {}, args),
        (e: unknown) => e instanceof UsageError && e.exitCode === 2 && e.message === message,
      );
    refused(['--bogus'], 'Unknown option "--bogus".');
    refused(['--bogus=1'], 'Unknown option "--bogus=1".');
    refused(['--loud=yes'], 'Unknown option "--loud=yes".');
    refused(['stray'], 'Unknown option "stray".');
    refused(['--size'], 'Option --size needs a value.');
    refused(['--size', '--loud'], 'Option --size needs a value.');
    refused(['--size', 'x'], 'size must be a number, got "x".');
  });

  it('describes every setting in the usage from the same table', () => {
    const usage = describeSettings(TABLE);
    assert.match(usage, /^ {2}--size N +how big \[TEST_SIZE\] \(default: 3\)$/m);
    assert.match(usage, /^ {2}--loud +shout \[TEST_LOUD=1\]$/m);
    assert.match(usage, /^ {2}TEST_TWICE +twice the size$/m);
  });

  it('is what serve reads and describes: every flag and variable of serve is in its usage', () => {
    for (const setting of Object.values(SERVE_SETTINGS) as Array<Setting<unknown>>) {
      if (setting.flag !== null) assert.ok(USAGE.includes(`--${setting.flag}`), setting.flag);
      if (setting.env !== undefined) assert.ok(USAGE.includes(setting.env), setting.env);
    }
    assert.ok(USAGE.startsWith('Usage: colloquy-server serve [options]\n'));
  });
});
