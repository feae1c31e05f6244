import type { Level } from '../event/types.js';

/** One colour per level, so an alert looks the same in email, Slack and the widgets' badges. */
export const LEVEL_COLORS: Record<Level, string> = {
  fatal: '#8b0000',
  error: '#de350b',
  warning: '#ff991f',
  info: '#0065ff',
  debug: '#6b778c',
};
