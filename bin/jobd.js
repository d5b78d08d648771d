#!/usr/bin/env node
import { holdStraySignals } from '../dist/daemon/stray-signals.js';

// Before the slow imports: from here on SIGUSR1 cannot open Node's inspector, nor SIGUSR2 end jobd.
holdStraySignals();
const { main } = await import('../dist/cli/main.js');
main(process.argv);
