import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { runConvert, runMerge, runTop, runTraces } from './cli/commands';
import { findElectronBinary } from './electronBinary';
import { profilePathsFromArgv } from './launchArgs';
import { startBrowserServer } from './server/browserServer';
import { createServices, packageVersion } from './services/createServices';
import type { LiveService } from './kube/liveService';
import { appRoot } from './services/paths';
import {
  CAPTURE_USAGE,
  LiveUsageError,
  TRIAGE_USAGE,
  runCapture,
  runTriageCommand,
  type LiveCliEnv,
} from './cli/liveCommands';

const USAGE = `profscope — a viewer for Go pprof profiles

  profscope [open] [FILE...]      open the desktop app (browser mode when Electron is missing)
  profscope serve [FILE...] [--port N] [--no-open]
                                  serve the app on http://127.0.0.1 with a token
  profscope top FILE... [--sample_index NAME] [--nodecount N] [--nodefraction F] [--cum] [--noinlines]
                        [--focus|--ignore|--hide|--show|--show_from RE] [--tagfocus|--tagignore K=V]
                        [--tagshow|--taghide RE] [--tagroot|--tagleaf KEYS] [--lines|--files|--filefunctions]
                        [--trim=false] [--divide_by N] [--base|--diff_base FILE] [--normalize] [--json]
                        (go tool pprof's flags; see README, CLI flags)
  profscope traces FILE... [--sample_index NAME]
  profscope convert FILE... --to pprof|speedscope|collapsed -o OUT
  profscope merge FILE... -o OUT.pb.gz
  ${CAPTURE_USAGE}
  ${TRIAGE_USAGE}

As a kubectl plugin (kubectl-profscope on the PATH): kubectl profscope triage -l app=fleet-agent
`;

function flagValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function openInBrowser(url: string): void {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && spawnSync('which', [opener]).status !== 0) return;
  spawn(opener, [url], { stdio: 'ignore', detached: true }).unref();
}

async function serve(args: string[]): Promise<number> {
  const portArg = flagValue(args, '--port');
  const files = profilePathsFromArgv(
    args.filter((a, i) => a !== portArg || args[i - 1] !== '--port'),
    process.cwd(),
  );
  let live: LiveService | undefined;
  const server = await startBrowserServer({
    services: createServices({
      mode: 'browser',
      launchFiles: files,
      onLive: (service) => {
        live = service;
      },
    }),
    port: portArg ? Number(portArg) : undefined,
  });
  // Never the token itself: the opener's argv can be read by any user of the machine.
  process.stdout.write(`Profscope is serving on ${server.oneTimeUrl(10 * 60_000)}\n`);
  if (!args.includes('--no-open')) openInBrowser(server.oneTimeUrl());
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Forwards and continuous captures would keep the process alive past Ctrl-C.
  await live?.shutdown();
  await server.close();
  return 0;
}

async function open(args: string[]): Promise<number> {
  const electron = findElectronBinary();
  if (!electron) {
    process.stdout.write(
      'No Electron binary here (its download failed or was skipped at install: run ' +
        '`npm run postinstall` where github.com is reachable, or set ELECTRON_PATH to one); ' +
        'starting browser mode instead.\n',
    );
    return serve(args);
  }
  const child = spawn(electron, [appRoot(), ...args], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

/** A path to open: an existing file or folder, a file:// URL, or a name with a profile's extension. */
function looksLikePath(arg: string): boolean {
  return (
    existsSync(arg) ||
    arg.startsWith('file://') ||
    /[\\/]/.test(arg) ||
    /\.(pb\.gz|pprof|prof|pb|gz|json|out)$/i.test(arg)
  );
}

/** Runs a live command with Ctrl-C cancelling its captures; usage errors exit 2. */
async function live(
  fn: (args: string[], env: LiveCliEnv) => Promise<void>,
  args: string[],
): Promise<number> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    await fn(args, {
      out: write,
      err: writeErr,
      appVersion: packageVersion(),
      signal: abort.signal,
    });
    return 0;
  } catch (e) {
    writeErr(`profscope: ${e instanceof Error ? e.message : String(e)}\n`);
    if (e instanceof LiveUsageError) {
      process.stderr.write(`usage:\n  ${CAPTURE_USAGE}\n  ${TRIAGE_USAGE}\n`);
      return 2;
    }
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * Text for a terminal: a profile's strings may hold escape sequences (a stranger's file could
 * retitle the window, hide lines or worse), so C0 and C1 controls but tab and newline become
 * U+FFFD, on stdout and stderr alike. JSON output escapes them already.
 */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

const write = (s: string) => {
  process.stdout.write(terminalSafe(s));
};
const writeErr = (s: string) => {
  process.stderr.write(terminalSafe(s));
};

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  switch (command) {
    case undefined:
      return open([]);
    case 'open':
      return open(rest);
    case 'serve':
      return serve(rest);
    case 'top':
      return runTop(rest, write, writeErr);
    case 'traces':
      return runTraces(rest, write, writeErr);
    case 'convert':
      return runConvert(rest, write, writeErr);
    case 'merge':
      return runMerge(rest, write, writeErr);
    case 'capture':
      return live(runCapture, rest);
    case 'triage':
      return live(runTriageCommand, rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      if (command.startsWith('-')) {
        process.stderr.write(`unknown option ${command}\n${USAGE}`);
        return 2;
      }
      // `profscope FILE…` opens files; a word that is neither a command nor a file is a typo.
      if (!looksLikePath(command)) {
        process.stderr.write(`unknown command "${command}"\n${USAGE}`);
        return 2;
      }
      return open(argv);
  }
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    writeErr(`profscope: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
