import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const JOBD = fileURLToPath(new URL('../../bin/jobd.js', import.meta.url));

/**
 * A systemd unit running `jobd start` on these paths. Type=exec: readiness
 * through sd_notify needs a datagram socket Node cannot open without a native
 * module. KillMode=mixed: systemd's SIGTERM reaches jobd alone, so jobd stops
 * its runs' groups itself and records them `interrupted`; TimeoutStopSec
 * leaves room for --shutdown-grace plus killGrace.
 */
export function systemdUnit(input: { jobsDir: string; workingDirectory: string }): string {
  const jobsDir = resolve(input.workingDirectory, input.jobsDir);
  const workingDirectory = resolve(input.workingDirectory);
  return `[Unit]
Description=jobd job daemon (${jobsDir})
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
WorkingDirectory=${workingDirectory}
ExecStart=${process.execPath} ${JOBD} start --jobs-dir ${jobsDir} --state-file ${workingDirectory}/jobs_state.json --no-pretty
ExecReload=/bin/kill -HUP $MAINPID
KillMode=mixed
KillSignal=SIGTERM
TimeoutStopSec=30
Restart=on-failure
RestartSec=2
NoNewPrivileges=true

[Install]
WantedBy=multi-user.target
`;
}
