/**
 * OFX elements from tokens, by the rules SGML OFX follows without its DTD:
 * - an element that got text is a leaf: the next tag ends it if its own closing tag does not;
 * - an aggregate is always closed by its own tag (both OFX generations require it);
 * - an element with neither text nor closing tag (an empty `<MEMO>`) is an empty leaf: what was
 *   read as its children are its following siblings, and move up to its parent when an
 *   ancestor's closing tag ends it.
 * Aggregates the importer reads (`aggregates`) are never leaves and must be closed: a missing
 * closing tag there means a corrupt or truncated file, and is an error naming both lines.
 *
 * The handler sees each element as it ends, and says whether its parent keeps it: transactions
 * are handed over and dropped, so memory stays bounded by one statement's header, not the file.
 */
import { importError } from '../import-error.js';
import type { OfxTokenSink } from './ofx-tokenizer.js';

export interface OfxElement {
  /** Upper-cased name. */
  name: string;
  /** Line of the opening tag. */
  line: number;
  /** A leaf's text, trimmed and decoded ('' for aggregates and empty leaves). */
  text: string;
  children: OfxElement[];
}

/** The children of every leaf: one shared empty list, replaced by a real one on the first child. */
const NO_CHILDREN: OfxElement[] = [];

export interface OfxTreeHandler {
  /** An element just opened; `stack` ends with it. */
  opened(element: OfxElement, stack: readonly OfxElement[]): void;
  /** An element ended; `stack` holds its ancestors. Returns whether the parent keeps it. */
  ended(element: OfxElement, stack: readonly OfxElement[]): boolean;
  /** Text outside any element: the 1.x header. */
  prolog(text: string, line: number): void;
  instruction(body: string, line: number): void;
  /** A closing tag nothing matches. */
  stray(name: string, line: number): void;
}

export interface OfxTree extends OfxTokenSink {
  /** The end of the file: anything still open means it was cut short. */
  finish(lastLine: number): void;
}

export function createOfxTree(file: string, aggregates: ReadonlySet<string>, handler: OfxTreeHandler): OfxTree {
  const stack: OfxElement[] = [];

  /** Ends the top element; `closedBy` is the closing tag that ends it from further up, if any. */
  const pop = (closedBy?: { name: string; line: number }) => {
    const element = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (closedBy && aggregates.has(element.name)) {
      throw importError(
        file,
        `the <${element.name}> opened at line ${element.line} is not closed before </${closedBy.name}>: the file is corrupt or cut.`,
        closedBy.line,
      );
    }
    const keep = handler.ended(element, stack);
    if (!keep) parent?.children.pop();
    if (closedBy && parent && element.text === '' && element.children.length > 0) {
      // An empty leaf: its "children" were its siblings.
      parent.children = [...parent.children, ...element.children];
      element.children = NO_CHILDREN;
    }
  };

  return {
    open(name, line) {
      const top = stack[stack.length - 1];
      if (top && top.text !== '' && !aggregates.has(top.name)) pop();
      const element: OfxElement = { name, line, text: '', children: NO_CHILDREN };
      const parent = stack[stack.length - 1];
      if (parent) {
        if (parent.children === NO_CHILDREN) parent.children = [element];
        else parent.children.push(element);
      }
      stack.push(element);
      handler.opened(element, stack);
    },
    close(name, line) {
      let i = stack.length - 1;
      while (i >= 0 && stack[i]!.name !== name) i--;
      if (i < 0) {
        handler.stray(name, line);
        return;
      }
      while (stack.length - 1 > i) {
        const top = stack[stack.length - 1]!;
        // A leaf with text ends at the next tag whatever it is; only silent aggregates are suspect.
        pop(top.text !== '' && !aggregates.has(top.name) ? undefined : { name, line });
      }
      pop();
    },
    text(text, line) {
      const top = stack[stack.length - 1];
      if (!top) handler.prolog(text, line);
      else if (top.children.length === 0) top.text = top.text === '' ? text : `${top.text} ${text}`;
      // Text between an aggregate's children is noise.
    },
    instruction(body, line) {
      handler.instruction(body, line);
    },
    finish(lastLine) {
      if (stack.length === 0) return;
      const open = [...stack].reverse().find((e) => aggregates.has(e.name)) ?? stack[0]!;
      throw importError(
        file,
        `the file ends inside the <${open.name}> opened at line ${open.line}, before its closing tag: it looks cut short.`,
        lastLine,
      );
    },
  };
}
