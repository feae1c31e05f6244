/** Defined as `false` by the bundler for the browser build, which strips debug code; undefined elsewhere. */
declare const __DEBUG__: boolean | undefined;
