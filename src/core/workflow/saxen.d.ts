/** The slice of saxen's API (the XML parser bpmn-moddle reads BPMN with) that workflowSafety uses. */
declare module 'saxen' {
  export interface SaxContext {
    /** 0-based. */
    line: number;
    /** 0-based. */
    column: number;
    data: string;
  }
  type Decode = (text: string) => string;
  type GetContext = () => SaxContext;
  export class Parser {
    constructor(options?: { proxy?: boolean });
    ns(nsMap?: Record<string, string>): void;
    on(event: 'openTag', cb: (name: string, attrs: () => Record<string, string>, decode: Decode, selfClosing: boolean, getContext: GetContext) => void): void;
    on(event: 'closeTag', cb: (name: string, decode: Decode, selfClosing: boolean, getContext: GetContext) => void): void;
    on(event: 'text', cb: (text: string, decode: Decode, getContext: GetContext) => void): void;
    on(event: 'cdata', cb: (text: string, getContext: GetContext) => void): void;
    on(event: 'attention' | 'question', cb: (text: string, decode: Decode, getContext: GetContext) => void): void;
    on(event: 'error' | 'warn', cb: (err: Error, getContext: GetContext) => void): void;
    parse(xml: string): void;
  }
}
