// Credentials for Bull Board and the API: basic or bearer, compared in constant time; never logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '@finops/core';
import { ConfigError } from '@finops/core';
import type { RequestHandler } from 'express';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Equal-length digests, so neither the comparison time nor its length leaks the secret. */
function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The authentication middleware for `api.auth`. Refuses to build one when `api.auth` is unset: the API must not
 * start open by accident; `api.auth: none` opens it explicitly.
 */
export function authMiddleware(auth: Config['api']['auth'], source = 'config'): RequestHandler {
  if (auth === undefined) {
    throw new ConfigError([
      {
        source,
        path: 'api.auth',
        message:
          'not set: the API and Bull Board need credentials. Set api.auth to {type: basic, username, password} or {type: bearer, token} (or env FINOPS_API_TOKEN), or to `none` to run without them',
      },
    ]);
  }
  if (auth === 'none') return (_req, _res, next) => next();
  const realm = 'Basic realm="finops", charset="UTF-8"';
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const [scheme, value = ''] = header.split(' ', 2);
    let ok = false;
    if (auth.type === 'bearer' && scheme?.toLowerCase() === 'bearer') ok = safeEqual(value, auth.token);
    if (auth.type === 'basic' && scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon >= 0 ? decoded.slice(0, colon) : '';
      const pass = colon >= 0 ? decoded.slice(colon + 1) : '';
      // Both compared, always, so a wrong user name takes as long as a wrong password.
      const userOk = safeEqual(user, auth.username);
      const passOk = safeEqual(pass, auth.password);
      ok = userOk && passOk;
    }
    if (ok) return next();
    if (auth.type === 'basic') res.setHeader('WWW-Authenticate', realm);
    res.status(header ? 403 : 401).json({
      error: header ? 'forbidden: the credentials were not accepted' : 'unauthorized: credentials required',
      hint: auth.type === 'basic' ? 'use HTTP basic auth with api.auth.username/password' : 'send Authorization: Bearer <api.auth.token>',
    });
  };
}
