#!/usr/bin/env node
// Installed `finops` command: loads the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
