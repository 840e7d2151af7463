import { huntsMarkdown } from '../functions/core/hunts/hunts-markdown';
import { contextMarkdown } from '../lib/context';

/** README sections generated from code, by marker name. */
export const README_SECTIONS: Record<string, () => string> = {
  hunts: huntsMarkdown,
  context: contextMarkdown,
};
