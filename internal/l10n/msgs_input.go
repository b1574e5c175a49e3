package l10n

// inputMsgs are the errors of reading an input file (package input):
// CSV encodings, workbooks and their sheets, snapshots.
var inputMsgs = map[string][2]string{
	"%d worksheets have a header row with the columns needed: %s: pass --sheet NAME to choose one": {
		"필요한 열이 있는 머리글 행을 가진 워크시트가 %d개입니다: %s. --sheet NAME으로 하나를 고르십시오",
		"有 %d 個工作表具有含所需欄位的標題列: %s;請以 --sheet NAME 選擇其一"},
	"%q does not read as %s text: the file reads more plausibly as %s%s: try --encoding %s; if the file is %s after all, save it as \"CSV UTF-8\" and leave out --encoding": {
		"%q은(는) %s 텍스트로 읽히지 않습니다. 파일은 %s%s(으)로 읽는 편이 더 자연스럽습니다. --encoding %s를 시도하십시오. 그래도 파일이 %s이면 \"CSV UTF-8\"로 저장하고 --encoding을 빼십시오",
		"%q 不像 %s 文字: 此檔案以 %s%s 讀取較合理;請試 --encoding %s;若檔案確實是 %s,請另存為「CSV UTF-8」並省略 --encoding"},
	"%q reads as plausibly in %s%s as in %s: which one the file is cannot be told from its text; save it as \"CSV UTF-8\" and leave out --encoding": {
		"%q은(는) %s%s(으)로도 %s(으)로도 똑같이 자연스럽게 읽힙니다. 텍스트만으로는 어느 쪽인지 알 수 없으니 \"CSV UTF-8\"로 저장하고 --encoding을 빼십시오",
		"%q 以 %s%s 或 %s 讀取都一樣合理: 無法從文字判斷檔案是哪一種;請另存為「CSV UTF-8」並省略 --encoding"},
	"column %d has %q, but the header has only %d columns": {
		"%d번째 열에 %q이(가) 있지만 머리글은 %d열뿐입니다", "第 %d 欄有 %q,但標題只有 %d 欄"},
	"column %d": {"%d번째 열", "第 %d 欄"},
	"column %q": {"%q 열", "%q 欄"},
	"column %d: a quoted field is never closed (a quote is missing)": {
		"%d번째 열: 따옴표로 시작한 칸이 닫히지 않았습니다(따옴표가 빠짐)", "第 %d 欄: 以引號開始的欄位未關閉 (缺少引號)"},
	"decode %s: %w":                {"%s 해석: %w", "解碼 %s: %w"},
	"decode shared strings %s: %w": {"공유 문자열 %s 해석: %w", "解碼共用字串 %s: %w"},
	"no sheet named %q; the sheets are %s": {
		"%q(이)라는 시트가 없습니다. 시트: %s", "沒有名為 %q 的工作表;工作表為: %s"},
	"no worksheet has a header row with the columns needed; the worksheets are %s: pass --sheet NAME": {
		"필요한 열이 있는 머리글 행을 가진 워크시트가 없습니다. 워크시트: %s. --sheet NAME을 지정하십시오",
		"沒有工作表具有含所需欄位的標題列;工作表為 %s: 請指定 --sheet NAME"},
	"not a readable .xlsx workbook (the file is damaged, truncated or of another type): %w": {
		"읽을 수 있는 .xlsx 통합 문서가 아닙니다(파일이 손상되었거나 잘렸거나 다른 형식입니다): %w", "不是可讀取的 .xlsx 活頁簿 (檔案損毀、不完整或為其他類型): %w"},
	"not a workbook: %s has no sheets": {"통합 문서가 아닙니다: %s에 시트가 없습니다", "不是活頁簿: %s 沒有工作表"},
	"open %s: %w":                      {"%s 열기: %w", "開啟 %s: %w"},
	"open %s: --encoding applies to CSV files only": {
		"%s 열기: --encoding은 CSV 파일에만 쓸 수 있습니다", "開啟 %s: --encoding 只適用於 CSV 檔"},
	"open %s: is a directory":                   {"%s 열기: 폴더입니다", "開啟 %s: 這是資料夾"},
	"open %s: sheet %q is empty: no header row": {"%s 열기: %q 시트가 비어 있습니다: 머리글 행이 없습니다", "開啟 %s: 工作表 %q 是空的: 沒有標題列"},
	"open %s: the old .xls format is not supported; save the file as .xlsx or .csv": {
		"%s 열기: 예전 .xls 형식은 지원하지 않습니다. .xlsx 또는 .csv로 저장하십시오", "開啟 %s: 不支援舊的 .xls 格式;請另存為 .xlsx 或 .csv"},
	"open %s: unknown file type %q; want .csv or .xlsx": {
		"%s 열기: 알 수 없는 파일 형식 %q입니다. .csv 또는 .xlsx를 쓰십시오", "開啟 %s: 未知的檔案類型 %q;請使用 .csv 或 .xlsx"},
	"open input: %w":                 {"입력 파일 열기: %w", "開啟輸入檔: %w"},
	"open part %s: %w":               {"파트 %s 열기: %w", "開啟部分 %s: %w"},
	"open worksheet %q: %w":          {"워크시트 %q 열기: %w", "開啟工作表 %q: %w"},
	"part %s of sheet %q is missing": {"%[2]q 시트의 파트 %[1]s이(가) 없습니다", "工作表 %[2]q 的部分 %[1]s 不見了"},
	"read %s: %s: %w":                {"%s 읽기: %s: %w", "讀取 %s: %s: %w"},
	"read %s: %s: the worksheet is corrupt: %w": {
		"%s 읽기: %s: 워크시트가 손상되었습니다: %w", "讀取 %s: %s: 工作表已損毀: %w"},
	"read %s: --encoding %s was given, but the file is UTF-8 (its non-ASCII text is valid UTF-8): leave out --encoding": {
		"%s 읽기: --encoding %s을(를) 지정했지만 파일은 UTF-8입니다(ASCII가 아닌 텍스트가 올바른 UTF-8). --encoding을 빼십시오",
		"讀取 %s: 指定了 --encoding %s,但檔案是 UTF-8 (其非 ASCII 文字是有效的 UTF-8): 請省略 --encoding"},
	"read %s: after row %d: row number %q is not a number from 1 to %d": {
		"%s 읽기: %d행 다음: 행 번호 %q이(가) 1에서 %d 사이의 수가 아닙니다", "讀取 %s: 第 %d 列之後: 列號 %q 不是 1 到 %d 之間的數字"},
	"read %s: after row %d: the worksheet ends early: the file is truncated or corrupt": {
		"%s 읽기: %d행 다음: 워크시트가 일찍 끝납니다: 파일이 잘렸거나 손상되었습니다", "讀取 %s: 第 %d 列之後: 工作表提早結束: 檔案不完整或已損毀"},
	"read %s: row %d (line %d): %w":            {"%s 읽기: %d행(%d번째 줄): %w", "讀取 %s: 第 %d 列 (第 %d 行): %w"},
	"read %s: row %d (line %d, column %d): %w": {"%s 읽기: %d행(%d번째 줄, %d번째 칸): %w", "讀取 %s: 第 %d 列 (第 %d 行,第 %d 欄): %w"},
	"read %s: row %d comes after row %d: rows out of order or twice: the file is corrupt": {
		"%s 읽기: %d행이 %d행 뒤에 옵니다: 행 순서가 틀렸거나 중복되었습니다: 파일이 손상되었습니다", "讀取 %s: 第 %d 列出現在第 %d 列之後: 列的順序錯誤或重複: 檔案已損毀"},
	"read %s: row %d, column %d: %q does not read as %s text (%s): is --encoding right?%s": {
		"%s 읽기: %d행, %d번째 열: %q은(는) %s 텍스트로 읽히지 않습니다(%s). --encoding이 맞습니까?%s", "讀取 %s: 第 %d 列,第 %d 欄: %q 不像 %s 文字 (%s): --encoding 正確嗎?%s"},
	"read %s: row %d, column %d: %w": {"%s 읽기: %d행, %d번째 열: %w", "讀取 %s: 第 %d 列,第 %d 欄: %w"},
	"read %s: row %d, column %d: the bytes are not valid %s text: is --encoding right?%s": {
		"%s 읽기: %d행, %d번째 열: 바이트가 올바른 %s 텍스트가 아닙니다. --encoding이 맞습니까?%s", "讀取 %s: 第 %d 列,第 %d 欄: 位元組不是有效的 %s 文字: --encoding 正確嗎?%s"},
	"read %s: row %d, column %d: the text is not valid UTF-8; %s cp949 (Korean), big5 (Traditional Chinese), gbk (Simplified Chinese), shift_jis (Japanese), windows-874 (Thai), utf-16 (Excel \"Unicode text\"), windows-1252 (Western European)": {
		"%s 읽기: %d행, %d번째 열: 올바른 UTF-8 텍스트가 아닙니다. %s cp949(한국어), big5(번체 중국어), gbk(간체 중국어), shift_jis(일본어), windows-874(태국어), utf-16(Excel \"유니코드 텍스트\"), windows-1252(서유럽어)",
		"讀取 %s: 第 %d 列,第 %d 欄: 文字不是有效的 UTF-8;%s cp949 (韓文)、big5 (繁體中文)、gbk (簡體中文)、shift_jis (日文)、windows-874 (泰文)、utf-16 (Excel「Unicode 文字」)、windows-1252 (西歐語言)"},
	"read %s: row %d: %w": {"%s 읽기: %d행: %w", "讀取 %s: 第 %d 列: %w"},
	"read %s: row %d: the worksheet ends inside a row: the file is truncated or corrupt": {
		"%s 읽기: %d행: 워크시트가 행 중간에서 끝납니다: 파일이 잘렸거나 손상되었습니다", "讀取 %s: 第 %d 列: 工作表在列的中間結束: 檔案不完整或已損毀"},
	"read %s: sheet %q, row %d: %w":             {"%s 읽기: %q 시트, %d행: %w", "讀取 %s: 工作表 %q,第 %d 列: %w"},
	"read %s: the file is empty: no header row": {"%s 읽기: 파일이 비어 있습니다: 머리글 행이 없습니다", "讀取 %s: 檔案是空的: 沒有標題列"},
	"read %s: the header has NUL characters: the file is probably UTF-16 without a byte order mark: pass --encoding utf-16le (or utf-16be)": {
		"%s 읽기: 머리글에 NUL 문자가 있습니다: 바이트 순서 표시(BOM)가 없는 UTF-16 파일로 보입니다. --encoding utf-16le(또는 utf-16be)를 지정하십시오",
		"讀取 %s: 標題含有 NUL 字元: 檔案可能是沒有位元組順序記號的 UTF-16;請指定 --encoding utf-16le (或 utf-16be)"},
	"shared string %q does not exist": {"공유 문자열 %q이(가) 없습니다", "共用字串 %q 不存在"},
	"sheet %q has no relationship id (r:id), so its part is unknown": {
		"%q 시트에 관계 ID(r:id)가 없어 파트를 알 수 없습니다", "工作表 %q 沒有關聯 ID (r:id),因此無法得知其部分"},
	"sheet %q is %s, not a table": {"%q 시트는 표가 아닌 %s입니다", "工作表 %q 是%s,不是表格"},
	"sheet %q is an external link, not a sheet in the file": {
		"%q 시트는 파일 안의 시트가 아닌 외부 링크입니다", "工作表 %q 是外部連結,不是檔案中的工作表"},
	"sheet %q refers to relationship %q, which %s does not have": {
		"%q 시트가 가리키는 관계 %q이(가) %s에 없습니다", "工作表 %q 指向的關聯 %q 在 %s 中不存在"},
	"snapshot %s: %w":                      {"%s 스냅숏: %w", "%s 快照: %w"},
	"snapshot %s: not a regular file (%s)": {"%s 스냅숏: 일반 파일이 아닙니다(%s)", "%s 快照: 不是一般檔案 (%s)"},
	"snapshot %s: the file is larger than %s": {
		"%s 스냅숏: 파일이 %s보다 큽니다", "%s 快照: 檔案大於 %s"},
	"snapshot input: %w": {"입력 파일 스냅숏: %w", "輸入檔快照: %w"},
	"the archive has two entries for one part, %q and %q: programs disagree on which one they show, so the workbook is refused; save it again from Excel": {
		"압축 파일에 한 파트가 두 번 들어 있습니다(%q, %q). 프로그램마다 보여 주는 쪽이 달라 이 통합 문서는 거부합니다. Excel에서 다시 저장하십시오",
		"壓縮檔中同一部分有兩個項目 %q 與 %q: 各程式顯示的不一致,因此拒絕此活頁簿;請在 Excel 中重新儲存"},
	"the workbook has no visible worksheet; the sheets are %s": {
		"통합 문서에 보이는 워크시트가 없습니다. 시트: %s", "活頁簿中沒有可見的工作表;工作表為 %s"},
	"the workbook is password-protected or in the old .xls format: save it in Excel as .xlsx without a password": {
		"통합 문서가 암호로 보호되어 있거나 예전 .xls 형식입니다. Excel에서 암호 없이 .xlsx로 저장하십시오",
		"活頁簿受密碼保護或為舊的 .xls 格式: 請在 Excel 中另存為沒有密碼的 .xlsx"},
	"unknown XML encoding %q": {"알 수 없는 XML 인코딩 %q", "未知的 XML 編碼 %q"},
	"unknown encoding %q; use one of %s, or a WHATWG label such as shift_jis, gbk, windows-1252": {
		"알 수 없는 인코딩 %q입니다. 다음 중 하나나 shift_jis, gbk, windows-1252 같은 WHATWG 레이블을 쓰십시오: %s",
		"未知的編碼 %q;請使用下列之一: %s,或 shift_jis、gbk、windows-1252 等 WHATWG 標籤"},
}

// inputHints are the hints inside input errors.
var inputHints = map[string][2]string{
	"the file was probably saved in another encoding: pass --encoding": {
		"파일이 다른 인코딩으로 저장된 것으로 보입니다. --encoding을 지정하십시오:", "檔案可能以其他編碼儲存: 請指定 --encoding:"},
	"the file looks like %s: pass --encoding %s, or another:": {
		"파일이 %s(으)로 보입니다. --encoding %s 또는 다음 중 하나를 지정하십시오:", "檔案看起來是 %s: 請指定 --encoding %s,或下列之一:"},
	" the file looks like %s: try --encoding %s": {" 파일이 %s(으)로 보입니다. --encoding %s를 시도하십시오", " 檔案看起來是 %s: 請試 --encoding %s"},
}
