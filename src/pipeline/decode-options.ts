import type { Config } from '../config/config.js';
import type { DecodeOptions } from '../decode/types.js';

/** The decoder's settings from the config: the field paths only when the user set them. */
export function decodeOptionsFrom(
  config: Pick<Config, 'maxRecordBytes' | 'messageFields' | 'errorFields' | 'serviceFields'>,
): DecodeOptions {
  const opts: DecodeOptions = { maxRecordBytes: config.maxRecordBytes };
  if (config.messageFields !== undefined) opts.messageFields = config.messageFields;
  if (config.errorFields !== undefined) opts.errorFields = config.errorFields;
  if (config.serviceFields !== undefined) opts.serviceFields = config.serviceFields;
  return opts;
}
