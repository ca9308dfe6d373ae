-- name: windows_msiexec_unregister_dll
-- title: Windows MSIExec Unregister DLL
-- description: msiexec.exe run with the /z switch, which loads a DLL and
--   calls its DllUnregisterServer export.  Like /y (DllRegisterServer) it
--   runs code from an arbitrary DLL under a signed Microsoft binary; an
--   attacker may use either export as the entry point.  Unlike the seed
--   detection the switch must stand as its own word (/z or -z), so that
--   paths such as C:/zip are not matched.
-- author: evtriage
-- mitre: T1218.007
-- tactic: Defense Evasion
-- kill_chain_phase: Exploitation
-- nist: DE.CM
-- cis: CIS 10
-- data_sources: Sysmon EventID 1, Windows Event Log Security 4688
-- known_false_positives: Uninstallers of software that registers COM
--   servers may call msiexec /z; check the DLL's path and signer.
-- references: https://attack.mitre.org/techniques/T1218/007/,
--   https://learn.microsoft.com/windows-server/administration/windows-commands/msiexec
-- impact: 70
-- confidence: 50
-- risk_message: $process_name$ on $dest$ was run by $user$ to unregister a
--   DLL (DllUnregisterServer): $process$
-- notable_fields: user, dest
-- output: dest, user, parent_process_name, process_name, original_file_name,
--   process, process_id, parent_process_id, count, firstTime, lastTime
--
-- The switch is a word of its own: start or white space before it, white
-- space or the end after it.
SELECT
	coalesce(dest, 'unknown') AS dest,
	coalesce(user, 'unknown') AS user,
	coalesce(parent_process_name, 'unknown') AS parent_process_name,
	coalesce(process_name, 'unknown') AS process_name,
	coalesce(original_file_name, 'unknown') AS original_file_name,
	coalesce(process, 'unknown') AS process,
	coalesce(process_id, 'unknown') AS process_id,
	coalesce(parent_process_id, 'unknown') AS parent_process_id,
	count(*) AS count,
	ctime(min(_time)) AS firstTime,
	ctime(max(_time)) AS lastTime,
	min(_time) AS _first,
	group_concat(id) AS _rows
FROM processes
WHERE (process_name = 'msiexec.exe' COLLATE NOCASE
	OR original_file_name = 'msiexec.exe' COLLATE NOCASE)
  AND process REGEXP '(^|[[:space:]])[/-]z([[:space:]]|$)'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
