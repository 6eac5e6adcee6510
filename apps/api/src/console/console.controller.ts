import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { extname, join, relative, resolve, sep } from 'node:path';
import { Controller, Get, Inject, Logger, Module, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { Public } from '../auth/principal';

/**
 * The reviewer console's Content-Security-Policy (issue 14): scripts and styles from this origin
 * only (no inline script, no eval, no inline style attribute), requests to this origin only,
 * documents shown from the `blob:` URLs the console makes of what it fetched with the staff
 * token, and the page never framed by another site.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  'frame-src blob:',
  'object-src blob:',
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

interface ConsoleFile {
  bytes: Buffer;
  type: string;
  etag: string;
}

/**
 * Serves the console's static files (built by `npm run build` into CONSOLE_DIR) under /console,
 * on the API's own origin. The files are read once at start into memory from a fixed list (only
 * the types above, never a source map): a request path is looked up in that list, never joined
 * onto the file system. Any other path under /console without an extension is a page of the
 * console (`/console/tasks/<id>`) and gets index.html, whose script routes it.
 */
@ApiExcludeController()
@Public()
@Controller()
export class ConsoleController {
  private readonly files = new Map<string, ConsoleFile>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const root = resolve(config.console.dir);
    if (!existsSync(join(root, 'index.html'))) {
      Logger.warn(`no reviewer console in ${root}: run npm run build (CONSOLE_DIR)`, 'Console');
      return;
    }
    for (const path of walk(root)) {
      const type = TYPES[extname(path)];
      if (!type) continue;
      const bytes = readFileSync(path);
      const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
      this.files.set(relative(root, path).split(sep).join('/'), { bytes, type, etag });
    }
  }

  @Get(['console', 'console/*path'])
  serve(@Req() req: Request, @Res() res: Response): void {
    const path = req.path.replace(/^\/console\/?/, '');
    const page = !extname(path);
    const file = this.files.get(page ? 'index.html' : path);
    if (!file) throw new NotFoundError(page ? 'Console (not built: npm run build)' : 'Console file');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    // Pages and scripts are checked again on every load (ETag), so a new build is seen at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', file.etag);
    if (req.headers['if-none-match'] === file.etag) {
      res.status(304).end();
      return;
    }
    res.type(file.type).send(file.bytes);
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
