// Who is acting: the CLI's default actor, and the API's principal.
import { hostname } from 'node:os';

/** `alice@build-host`: the CLI's default `--actor`. */
export function defaultActor(env: NodeJS.ProcessEnv = process.env, host: string = hostname()): string {
  return `${env.USER || env.USERNAME || env.LOGNAME || 'unknown'}@${host}`;
}
