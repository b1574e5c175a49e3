package l10n

// mappingMsgs are the row problems of the mapper and the config's
// errors (package mapping): each names the column, so they read after
// "column: ".
var mappingMsgs = map[string][2]string{
	" (add a %q column, map one under columns:, or set it under order: in the config)": {
		" (%q 열을 추가하거나, columns:에 열을 지정하거나, 설정 파일의 order:에 값을 적으십시오)",
		" (請新增 %q 欄、在 columns: 下對應一欄,或在設定檔的 order: 下設定)"},
	" (did you mean %q?)": {" (%q을(를) 말씀하신 건가요?)", " (您是指 %q 嗎?)"},
	" (did you mean the column %q? Map it under columns: (%s: %s), name it %q, or set the field under order: in the config)": {
		" (%[1]q 열을 말씀하신 건가요? columns:에 지정하거나(%[2]s: %[3]s), 열 이름을 %[4]q(으)로 바꾸거나, 설정 파일의 order:에 값을 적으십시오)",
		" (您是指 %[1]q 欄嗎?請在 columns: 下對應 (%[2]s: %[3]s)、將該欄命名為 %[4]q,或在設定檔的 order: 下設定此欄位)"},
	" (set it under order: in the config)": {" (설정 파일의 order:에 값을 적으십시오)", " (請在設定檔的 order: 下設定)"},
	" and ":                                {" 및 ", " 與 "},
	" for %s (run `certbatch template --product %s` to see the fields)": {
		" (%s의 항목은 `certbatch template --product %s`로 확인하십시오)",
		" (%s 的欄位請執行 `certbatch template --product %s` 查看)"},
	" or ":     {" 또는 ", " 或 "},
	", or ":    {", 또는 ", ",或 "},
	"%d years": {"%d년", "%d 年"},
	"%q is %d characters long; DigiCert takes at most %d": {
		"%q은(는) %d자입니다. DigiCert는 최대 %d자까지 받습니다",
		"%q 長 %d 個字元;DigiCert 最多接受 %d 個字元"},
	"%q is not a whole number": {"%q은(는) 정수가 아닙니다", "%q 不是整數"},
	"%q must be one of %s":     {"%q은(는) 다음 중 하나여야 합니다: %s", "%q 必須是下列之一:%s"},
	"%s is %s":                 {"%s이(가) %s", "%s 為 %s"},
	"%s needs %s (column %q)":  {"%s은(는) %s일 때만 쓸 수 있습니다(열 %q)", "%s 需要 %s (欄 %q)"},
	"%s needs %s":              {"%s은(는) %s일 때만 쓸 수 있습니다", "%s 需要 %s"},
	"%s: %v":                   {"%s: %v", "%s: %v"},
	"%s: header %q is not in the input%s (its headers: %s)": {
		"%s: 머리글 %q이(가) 입력 파일에 없습니다%s (파일의 머리글: %s)",
		"%s: 輸入檔中沒有標題 %q%s (其標題為: %s)"},
	"%s: header %q matches several columns (%s)": {
		"%s: 머리글 %q에 해당하는 열이 여러 개입니다(%s)",
		"%s: 標題 %q 符合多個欄 (%s)"},
	"%s: unknown key method %q; use one of %s": {
		"%s: 알 수 없는 키 방식 %q입니다. 다음 중 하나를 쓰십시오: %s",
		"%s: 未知的金鑰方式 %q;請使用下列之一: %s"},
	"%s; left empty, DigiCert uses the account's default (%s)": {
		"%s. 비워 두면 DigiCert는 계정의 기본값(%s)을 사용합니다",
		"%s;留空時 DigiCert 使用帳戶的預設值 (%s)"},
	"%s; or fill in %s to compose it": {
		"%s. 또는 %s을(를) 입력하면 자동으로 만들어집니다",
		"%s;或填寫 %s 以自動組成"},
	"DigiCert's order for %s takes no CSR": {"DigiCert의 %s 주문에는 CSR이 들어가지 않습니다", "DigiCert 的 %s 訂單不接受 CSR"},
	"DigiCert's order for %s takes no CSR: use the key method link": {
		"DigiCert의 %s 주문에는 CSR이 들어가지 않습니다. 키 방식 link를 사용하십시오",
		"DigiCert 的 %s 訂單不接受 CSR:請使用金鑰方式 link"},
	"a CSR is given but certbatch generates this row's key (%s): clear the CSR, or use the key method csr": {
		"CSR이 있지만 이 행의 키는 certbatch가 생성합니다(%s). CSR을 지우거나 키 방식 csr을 사용하십시오",
		"已提供 CSR,但此列的金鑰由 certbatch 產生 (%s):請清除 CSR,或使用金鑰方式 csr"},
	"a CSR is given but the key method is link (%s): clear the CSR, or use the key method csr": {
		"CSR이 있지만 키 방식이 link입니다(%s). CSR을 지우거나 키 방식 csr을 사용하십시오",
		"已提供 CSR,但金鑰方式為 link (%s):請清除 CSR,或使用金鑰方式 csr"},
	"certbatch cannot generate the key for %s: %s":     {"certbatch는 %s의 키를 생성할 수 없습니다: %s", "certbatch 無法為 %s 產生金鑰:%s"},
	"certificate signing request cannot be parsed: %v": {"인증서 서명 요청(CSR)을 해석할 수 없습니다: %v", "無法解析憑證簽章要求 (CSR):%v"},
	"certificate signing request has a %d-bit RSA key; at least 2048 bits are required": {
		"CSR의 RSA 키가 %d비트입니다. 2048비트 이상이어야 합니다",
		"CSR 的 RSA 金鑰為 %d 位元;至少需要 2048 位元"},
	"certificate signing request has an invalid signature": {"CSR의 서명이 올바르지 않습니다", "CSR 的簽章無效"},
	"certificate signing request has an unsupported %T key; use RSA 2048+ or ECDSA P-256/P-384": {
		"CSR의 키 형식(%T)은 지원되지 않습니다. RSA 2048비트 이상 또는 ECDSA P-256/P-384를 사용하십시오",
		"CSR 的金鑰類型 (%T) 不受支援;請使用 RSA 2048 以上或 ECDSA P-256/P-384"},
	"certificate signing request uses an unsupported curve %s; use P-256 or P-384": {
		"CSR이 지원되지 않는 곡선 %s을(를) 사용합니다. P-256 또는 P-384를 사용하십시오",
		"CSR 使用不受支援的曲線 %s;請使用 P-256 或 P-384"},
	"column %d %q": {"%d번째 열 %q", "第 %d 欄 %q"},
	"column %q is NOT sent: it looks like %s, free text that DigiCert's approver reads with the order; to send it, map it in the config: columns: {%s: %q}": {
		"%[1]q 열은 보내지 않습니다. %[2]s(DigiCert 승인자가 주문과 함께 읽는 자유 입력 텍스트)로 보입니다. 보내려면 설정 파일에 지정하십시오: columns: {%[3]s: %[4]q}",
		"%[1]q 欄不會送出:它看起來是 %[2]s,即 DigiCert 核准者會隨訂單閱讀的自由文字;若要送出,請在設定檔中對應:columns: {%[3]s: %[4]q}"},
	"columns: unknown order field %q%s%s": {"columns: 알 수 없는 주문 항목 %q입니다%s%s", "columns: 未知的訂單欄位 %q%s%s"},
	"compose: %s: %q names no field (write the fields as {certificate.individual.first_name})": {
		"compose: %s: %q에 항목 이름이 없습니다({certificate.individual.first_name}처럼 적으십시오)",
		"compose: %s: %q 未指定任何欄位 (請寫成 {certificate.individual.first_name})"},
	"compose: %s: {%s} is not another field of %s%s": {
		"compose: %s: {%s}은(는) %s의 다른 항목이 아닙니다%s",
		"compose: %s: {%s} 不是 %s 的其他欄位%s"},
	"compose: unknown order field %q%s%s": {"compose: 알 수 없는 주문 항목 %q입니다%s%s", "compose: 未知的訂單欄位 %q%s%s"},
	"composed from %s: %s (or fill in a %q column)": {
		"%s(으)로 만든 값: %s (또는 %q 열을 입력하십시오)",
		"由 %s 組成的值:%s (或填寫 %q 欄)"},
	"composed from %s: %s": {"%s(으)로 만든 값: %s", "由 %s 組成的值:%s"},
	"config %s: %w":        {"설정 파일 %s: %w", "設定檔 %s: %w"},
	"config order.%s":      {"설정 파일 order.%s", "設定檔 order.%s"},
	"duplicate of row %d (same product and email %s)": {
		"%d행과 중복됩니다(같은 제품, 같은 이메일 %s)", "與第 %d 列重複 (相同產品與電子郵件 %s)"},
	"duplicate of row %d (same product and email)": {"%d행과 중복됩니다(같은 제품, 같은 이메일)", "與第 %d 列重複 (相同產品與電子郵件)"},
	"duplicate of row %d (same product and key)":   {"%d행과 중복됩니다(같은 제품, 같은 키 열 값)", "與第 %d 列重複 (相同產品與識別欄值)"},
	"has a control character (U+%04X) at character %d: retype the value": {
		"%[2]d번째 글자에 제어 문자(U+%04[1]X)가 있습니다. 값을 다시 입력하십시오",
		"第 %[2]d 個字元是控制字元 (U+%04[1]X):請重新輸入此值"},
	"has a no-break space (U+%04X) at character %d, not an ordinary one: type an ordinary space instead (text pasted from a web page or a document brings these along)": {
		"%[2]d번째 글자가 일반 공백이 아닌 줄 바꿈 없는 공백(U+%04[1]X)입니다. 일반 공백으로 바꾸십시오(웹 페이지나 문서에서 붙여 넣은 텍스트에 흔히 들어 있습니다)",
		"第 %[2]d 個字元是不換行空格 (U+%04[1]X),不是一般空格:請改輸入一般空格 (從網頁或文件貼上的文字常夾帶此字元)"},
	"has a question mark where a letter should be (character %d): the file was probably saved in an encoding that lacks that letter (Excel's \"CSV (Comma delimited)\" writes ? for it); save it as \"CSV UTF-8\" or .xlsx and read it again": {
		"글자가 있어야 할 자리에 물음표가 있습니다(%d번째 글자). 그 글자가 없는 인코딩으로 저장된 파일로 보입니다(Excel의 \"CSV (쉼표로 분리)\"는 그런 글자를 ?로 씁니다). \"CSV UTF-8\" 또는 .xlsx로 저장한 뒤 다시 읽으십시오",
		"應為文字的位置出現問號 (第 %d 個字元):檔案可能以缺少該字的編碼儲存 (Excel 的「CSV (逗號分隔)」會將其寫成 ?);請另存為「CSV UTF-8」或 .xlsx 後再讀取"},
	"has a special space (U+%04X) at character %d, not an ordinary one: type an ordinary space instead (text pasted from a web page or a document brings these along)": {
		"%[2]d번째 글자가 일반 공백이 아닌 특수 공백(U+%04[1]X)입니다. 일반 공백으로 바꾸십시오(웹 페이지나 문서에서 붙여 넣은 텍스트에 흔히 들어 있습니다)",
		"第 %[2]d 個字元是特殊空格 (U+%04[1]X),不是一般空格:請改輸入一般空格 (從網頁或文件貼上的文字常夾帶此字元)"},
	"has an invisible character (U+%04X) at character %d: retype the value (text pasted from a web page or a document brings these along)": {
		"%[2]d번째 글자에 보이지 않는 문자(U+%04[1]X)가 있습니다. 값을 다시 입력하십시오(웹 페이지나 문서에서 붙여 넣은 텍스트에 흔히 들어 있습니다)",
		"第 %[2]d 個字元是看不見的字元 (U+%04[1]X):請重新輸入此值 (從網頁或文件貼上的文字常夾帶此字元)"},
	"has an invisible soft hyphen (U+%04X) at character %d: retype the value (text pasted from a web page or a document brings these along)": {
		"%[2]d번째 글자에 보이지 않는 소프트 하이픈(U+%04[1]X)이 있습니다. 값을 다시 입력하십시오(웹 페이지나 문서에서 붙여 넣은 텍스트에 흔히 들어 있습니다)",
		"第 %[2]d 個字元是看不見的軟連字號 (U+%04[1]X):請重新輸入此值 (從網頁或文件貼上的文字常夾帶此字元)"},
	"has an invisible text-direction character (U+%04X) at character %d: retype the value": {
		"%[2]d번째 글자에 보이지 않는 텍스트 방향 문자(U+%04[1]X)가 있습니다. 값을 다시 입력하십시오",
		"第 %[2]d 個字元是看不見的文字方向字元 (U+%04[1]X):請重新輸入此值"},
	"has bytes that are not text (U+FFFD): check the file's encoding": {
		"텍스트가 아닌 바이트(U+FFFD)가 있습니다. 파일의 인코딩을 확인하십시오",
		"含有不是文字的位元組 (U+FFFD):請檢查檔案的編碼"},
	"has no value": {"값이 없습니다", "沒有值"},
	"is %d characters long; DigiCert takes at most %d": {
		"%d자입니다. DigiCert는 최대 %d자까지 받습니다", "長 %d 個字元;DigiCert 最多接受 %d 個字元"},
	"is empty; it identifies the person across runs (key: in the config)": {
		"비어 있습니다. 이 열은 실행할 때마다 같은 사람을 식별합니다(설정 파일의 key:)",
		"為空;此欄用於在每次執行時識別同一人 (設定檔的 key:)"},
	"is required for %s (DigiCert's S/MIME rules since 2025-07-10): fill in %s": {
		"%s에는 필수입니다(2025-07-10부터 적용된 DigiCert의 S/MIME 규칙). %s을(를) 입력하십시오",
		"%s 必填 (DigiCert 自 2025-07-10 起的 S/MIME 規則):請填寫 %s"},
	"is required for %s: one of %s (a column, or under order: in the config)": {
		"%s에는 필수입니다. 다음 중 하나를 쓰십시오: %s (열 또는 설정 파일의 order:)",
		"%s 必填:下列之一 %s (填在欄中,或設定檔的 order: 下)"},
	"is required when %s%s": {"%s일 때 필수입니다%s", "%s 時必填%s"},
	"is required when %s, unless %s is given%s": {
		"%s일 때 필수입니다(%s을(를) 입력한 경우 제외)%s", "%s 時必填 (已提供 %s 時除外)%s"},
	"is required when any %s field is given%s":    {"%s 항목을 하나라도 입력하면 필수입니다%s", "提供任何 %s 欄位時必填%s"},
	"is required when the key method is csr (%s)": {"키 방식이 csr이면 필수입니다(%s)", "金鑰方式為 csr 時必填 (%s)"},
	"is required%s": {"필수입니다%s", "必填%s"},
	"list items may not contain ; , or line breaks": {
		"목록 항목에는 ; , 또는 줄 바꿈을 넣을 수 없습니다", "清單項目不可包含 ; , 或換行"},
	"lists one mailbox twice (%q and %q): keep one": {
		"같은 메일함이 두 번 있습니다(%q, %q). 하나만 남기십시오", "同一信箱列了兩次 (%q 與 %q):請只保留一個"},
	"must be a date in the form yyyy-MM-dd (a date-time only at midnight)": {
		"yyyy-MM-dd 형식의 날짜여야 합니다(날짜와 시간은 자정일 때만 허용)",
		"必須是 yyyy-MM-dd 格式的日期 (日期時間僅限午夜)"},
	"must be a single %s, not a list":    {"목록이 아닌 하나의 %s이어야 합니다", "必須是單一 %s,不可為清單"},
	"must be a single %s, not a mapping": {"매핑이 아닌 하나의 %s이어야 합니다", "必須是單一 %s,不可為對應表"},
	"must be a whole number":             {"정수여야 합니다", "必須是整數"},
	"must be at most %d days ahead (%s)": {"최대 %d일 뒤(%s)까지만 가능합니다", "最多只能是 %d 天後 (%s)"},
	"must be in the future":              {"미래의 날짜여야 합니다", "必須是未來的日期"},
	"must be one of %s for %s":           {"%[2]s에서는 다음 중 하나여야 합니다: %[1]s", "對 %[2]s 必須是下列之一:%[1]s"},
	"must be one of %s":                  {"다음 중 하나여야 합니다: %s", "必須是下列之一:%s"},
	"must be true or false (also yes/no, 1/0)": {
		"true 또는 false여야 합니다(yes/no, 1/0도 가능)", "必須是 true 或 false (也可用 yes/no、1/0)"},
	"must be valid JSON": {"올바른 JSON이어야 합니다", "必須是有效的 JSON"},
	"no product: set product: in the config, pass --product, or add a Product column": {
		"제품이 없습니다. 설정 파일에 product:를 적거나, --product를 지정하거나, Product 열을 추가하십시오",
		"沒有產品:請在設定檔中設定 product:、指定 --product,或新增 Product 欄"},
	"not a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----)": {
		"PEM 형식의 CSR이 아닙니다(-----BEGIN CERTIFICATE REQUEST-----)",
		"不是 PEM 格式的憑證簽章要求 (-----BEGIN CERTIFICATE REQUEST-----)"},
	"order: %s: %v: %s":               {"order: %s: %v: %s", "order: %s: %v: %s"},
	"order: unknown order field %q%s": {"order: 알 수 없는 주문 항목 %q입니다%s", "order: 未知的訂單欄位 %q%s"},
	"parse config: %w":                {"설정 파일 해석: %w", "解析設定檔: %w"},
	"product %s cannot be mapped":     {"제품 %s을(를) 매핑할 수 없습니다", "無法對應產品 %s"},
	"product %s cannot be used with this config": {
		"제품 %s은(는) 이 설정 파일로 주문할 수 없습니다", "產品 %s 無法用於此設定檔"},
	"read config: %w":                     {"설정 파일 읽기: %w", "讀取設定檔: %w"},
	"row %d: no generated CSR to fill in": {"%d행: 채워 넣을 생성된 CSR이 없습니다", "第 %d 列: 沒有可填入的已產生 CSR"},
	"template %s: %s: default %q: %s":     {"템플릿 %s: %s: 기본값 %q: %s", "範本 %s: %s: 預設值 %q: %s"},
	"template default %s":                 {"템플릿 기본값 %s", "範本預設值 %s"},
	"this is the template's example row, not a person to order for: delete the example row": {
		"템플릿의 예시 행이며 주문할 사람이 아닙니다. 예시 행을 삭제하십시오",
		"這是範本的範例列,不是要訂購的人:請刪除範例列"},
	"unknown product %q (known: %s)": {"알 수 없는 제품 %q입니다(사용 가능: %s)", "未知的產品 %q (可用: %s)"},
	"unknown product; known: %s":     {"알 수 없는 제품입니다. 사용 가능: %s", "未知的產品;可用: %s"},
	"unsupported field type %s":      {"지원되지 않는 항목 유형 %s", "不支援的欄位類型 %s"},
	"until %s":                       {"%s까지", "至 %s"},
}

// mappingOne are the mapping messages whose English changes for one.
var mappingOne = map[string]one{
	"%d years": {1, "%d year"},
}

// mailboxMsgs are the email address problems (internal/mailbox).
var mailboxMsgs = map[string][2]string{
	"not a single email address (write it as name@example.com)": {
		"이메일 주소 하나가 아닙니다(name@example.com 형식으로 적으십시오)", "不是單一電子郵件地址 (請寫成 name@example.com)"},
	"the domain of the email address is incomplete (write it as name@example.com)": {
		"이메일 주소의 도메인이 불완전합니다(name@example.com 형식으로 적으십시오)", "電子郵件地址的網域不完整 (請寫成 name@example.com)"},
	"has a character beyond ASCII before the @: DigiCert documents no support for such mailboxes (SmtpUTF8Mailbox, RFC 9598), so none is ordered; use the mailbox's ASCII address": {
		"@ 앞에 ASCII가 아닌 문자가 있습니다. DigiCert는 이런 메일함(SmtpUTF8Mailbox, RFC 9598)의 지원을 문서화하지 않았으므로 주문하지 않습니다. 메일함의 ASCII 주소를 쓰십시오",
		"@ 之前含有非 ASCII 字元: DigiCert 未說明支援此類信箱 (SmtpUTF8Mailbox,RFC 9598),因此不會訂購;請使用該信箱的 ASCII 地址"},
}
