import pkg from '../package.json' with { type: 'json' };

export const WAGO_VERSION: string = pkg.version;
