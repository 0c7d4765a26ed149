// Configuration reload at run time: the reloader, and the control channel that reaches every process.
export * from './config-reloader.js';
export * from './control-channel.js';
export * from './install-reload.js';
