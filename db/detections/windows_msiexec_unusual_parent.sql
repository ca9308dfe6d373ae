-- name: windows_msiexec_unusual_parent
-- title: Windows MSIExec Started by Office, a Script Host or a Browser
-- description: msiexec.exe whose parent is an Office application, a
--   script host (wscript, cscript, mshta, PowerShell) or a web browser.
--   Installers are started by Explorer, services, deployment agents or
--   an administrator's shell; a document macro, a script or a browser
--   exploit starting msiexec is how T1218.007 is delivered.  Where the
--   parent's name is not in the event (Security 4688 before version 2),
--   this detection cannot see it.
-- author: evtriage
-- mitre: T1218.007
-- tactic: Defense Evasion, Execution
-- kill_chain_phase: Exploitation
-- nist: DE.CM
-- cis: CIS 10
-- data_sources: Sysmon EventID 1, Windows Event Log Security 4688 (version 2)
-- known_false_positives: Browsers that launch downloaded .msi files
--   (the user opened the installer from the download bar).
-- references: https://attack.mitre.org/techniques/T1218/007/,
--   https://attack.mitre.org/techniques/T1204/002/
-- impact: 70
-- confidence: 70
-- risk_message: $parent_process_name$ started $process_name$ on $dest$ as
--   $user$: $process$
-- notable_fields: user, dest
-- output: dest, user, parent_process_name, process_name, process,
--   process_id, parent_process_id, count, firstTime, lastTime
--
SELECT
	coalesce(dest, 'unknown') AS dest,
	coalesce(user, 'unknown') AS user,
	coalesce(parent_process_name, 'unknown') AS parent_process_name,
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
WHERE (process_name = 'msiexec.exe' COLLATE NOCASE
	OR original_file_name = 'msiexec.exe' COLLATE NOCASE)
  AND lower(parent_process_name) IN ('winword.exe', 'excel.exe',
	'powerpnt.exe', 'outlook.exe', 'msaccess.exe', 'mspub.exe',
	'onenote.exe', 'visio.exe', 'wscript.exe', 'cscript.exe',
	'mshta.exe', 'powershell.exe', 'pwsh.exe', 'chrome.exe',
	'msedge.exe', 'firefox.exe', 'iexplore.exe', 'opera.exe',
	'brave.exe')
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7;
