-- name: windows_msiexec_spawns_shell
-- title: Windows MSIExec Spawning a Shell or Script Host
-- description: A process started by msiexec.exe that is a command shell or
--   a script host (cmd, PowerShell, wscript, cscript, mshta, rundll32,
--   regsvr32).  Code that msiexec loads through DllRegisterServer (/y) or
--   a malicious package's custom action typically hands over to a shell
--   or script; this is the "what it started in turn" of T1218.007.
-- author: evtriage
-- mitre: T1218.007
-- tactic: Defense Evasion, Execution
-- kill_chain_phase: Installation
-- nist: DE.CM
-- cis: CIS 10
-- data_sources: Sysmon EventID 1, Windows Event Log Security 4688 (version 2)
-- known_false_positives: Some legitimate installers run custom actions
--   through cmd.exe or PowerShell; filter by the package's command line.
-- references: https://attack.mitre.org/techniques/T1218/007/,
--   https://attack.mitre.org/techniques/T1059/
-- impact: 80
-- confidence: 60
-- risk_message: $parent_process_name$ spawned $process_name$ on $dest$ as
--   $user$: $process$
-- notable_fields: user, dest
-- output: dest, user, parent_process_name, parent_process, process_name,
--   process, process_id, parent_process_id, count, firstTime, lastTime
--
SELECT
	coalesce(dest, 'unknown') AS dest,
	coalesce(user, 'unknown') AS user,
	coalesce(parent_process_name, 'unknown') AS parent_process_name,
	coalesce(parent_process, 'unknown') AS parent_process,
	coalesce(process_name, 'unknown') AS process_name,
	coalesce(process, 'unknown') AS process,
	coalesce(process_id, 'unknown') AS process_id,
	coalesce(parent_process_id, 'unknown') AS parent_process_id,
	count(*) AS count,
	ctime(min(_time)) AS firstTime,
	ctime(max(_time)) AS lastTime,
	min(_time) AS _first,
	group_concat(id) AS _rows
FROM processes
WHERE parent_process_name = 'msiexec.exe' COLLATE NOCASE
  AND lower(process_name) IN ('cmd.exe', 'powershell.exe', 'pwsh.exe',
	'wscript.exe', 'cscript.exe', 'mshta.exe', 'rundll32.exe',
	'regsvr32.exe', 'bash.exe', 'wsl.exe')
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
