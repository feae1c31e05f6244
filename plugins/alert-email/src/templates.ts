import { readFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import type { EmailView } from './email-view.js';

const DEFAULT_HTML = new URL('../templates/alert.html.hbs', import.meta.url);
const DEFAULT_TEXT = new URL('../templates/alert.text.hbs', import.meta.url);

export interface TemplatePaths {
  /** A handlebars file for the HTML part; `{{value}}` escapes, and `{{{value}}}` must not be used for event text. */
  html?: string;
  /** A handlebars file for the text part (not escaped: it is plain text). */
  text?: string;
}

export interface EmailTemplates {
  html(view: EmailView): string;
  text(view: EmailView): string;
}

/** Compiles the templates once, at start-up; a missing or broken file fails start-up, naming it. */
export async function loadTemplates(paths: TemplatePaths = {}): Promise<EmailTemplates> {
  const hbs = Handlebars.create();
  const read = async (path: string | URL, what: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`alert-email: the ${what} template ${String(path)} cannot be read: ${(err as Error).message}`);
    }
  };
  const html = hbs.compile(await read(paths.html ?? DEFAULT_HTML, 'HTML'), { strict: false });
  const text = hbs.compile(await read(paths.text ?? DEFAULT_TEXT, 'text'), { noEscape: true });
  return { html: (view) => html(view), text: (view) => text(view).replace(/\n{3,}/g, '\n\n') };
}
