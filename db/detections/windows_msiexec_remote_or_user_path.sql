-- name: windows_msiexec_remote_or_user_path
-- title: Windows MSIExec Loads Package or DLL from URL, Share or User-Writable Folder
-- description: msiexec.exe given a package or DLL that lives on the web
--   (http, https), on a network share (UNC path) or in a folder any user
--   can write to (a profile's AppData, Temp or Downloads, C:\Users\Public,
--   C:\ProgramData, C:\Windows\Temp).  Legitimate software deployment
--   installs from managed locations; attackers stage their payload where
--   they can write and point msiexec at it, often straight from a URL.
-- author: evtriage
-- mitre: T1218.007
-- tactic: Defense Evasion
-- kill_chain_phase: Exploitation
-- nist: DE.CM
-- cis: CIS 10
-- data_sources: Sysmon EventID 1, Windows Event Log Security 4688
-- known_false_positives: Users installing downloaded software from their
--   Downloads folder; deployment tools that install from a share.  Filter
--   the known share and installer names.
-- references: https://attack.mitre.org/techniques/T1218/007/
-- impact: 60
-- confidence: 50
-- risk_message: $process_name$ on $dest$ was run by $user$ on a file from
--   a URL, share or user-writable folder: $process$
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
  AND (process REGEXP 'https?://|(^|[[:space:]"=])\\\\'
	OR process REGEXP '\\(appdata|temp|tmp|downloads)\\|\\users\\public\\|\\programdata\\|\\windows\\temp\\|%(temp|tmp|appdata|localappdata|public|programdata)%')
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7;
