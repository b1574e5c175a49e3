package l10n

// lifecycleMsgs are the messages of the commands that act on orders
// after they are placed (cancel, approve, renew, revoke, sync), and of
// template, expiring, history, prune, reconcile, results, journal
// migrate and sandbox.
var lifecycleMsgs = map[string][2]string{
	// Choosing the orders (cli targets).
	"name --batch ID, a RESULTS file, or people with --email/--key": {
		"--batch ID, 결과 파일(RESULTS) 또는 --email/--key로 사람을 지정하십시오", "請指定 --batch ID、結果檔 (RESULTS),或以 --email/--key 指定人員"},
	"name either --batch ID or a RESULTS file":           {"--batch ID 또는 결과 파일(RESULTS) 중 하나를 지정하십시오", "請指定 --batch ID 或結果檔 (RESULTS) 其中之一"},
	"name either --batch ID or a RESULTS file, not both": {"--batch ID와 결과 파일(RESULTS) 중 하나만 지정하십시오", "請只指定 --batch ID 或結果檔 (RESULTS) 其中之一,不可兩者都指定"},
	"name --leavers FILE, --batch ID or a RESULTS file, not several": {
		"--leavers FILE, --batch ID, 결과 파일(RESULTS) 중 하나만 지정하십시오", "請只指定 --leavers FILE、--batch ID 或結果檔 (RESULTS) 其中之一"},
	"--row needs --batch ID or a RESULTS file":     {"--row에는 --batch ID 또는 결과 파일(RESULTS)이 필요합니다", "--row 需要 --batch ID 或結果檔 (RESULTS)"},
	"--batch needs the journal":                    {"--batch에는 저널이 필요합니다", "--batch 需要日誌"},
	"--email and --key need the journal (--state)": {"--email과 --key에는 저널(--state)이 필요합니다", "--email 與 --key 需要日誌 (--state)"},
	"  REFUSED row %d (%s): %s: not %s\n": {
		"  거부: %d행 (%s): %s: %s하지 않음\n", "  拒絕: 第 %d 列 (%s): %s: 不%s\n"},
	"  row %d (%s): order %d could not be read: %s\n": {
		"  %d행 (%s): 주문 %d을(를) 읽지 못했습니다: %s\n", "  第 %d 列 (%s): 無法讀取訂單 %d: %s\n"},
	"order %d is %s's in the journal (batch %s, row %d), not %s's": {
		"저널에 따르면 주문 %d은(는) %s의 주문입니다(배치 %s, %d행). %s의 주문이 아닙니다", "日誌記載訂單 %d 屬於 %s (批次 %s,第 %d 列),不屬於 %s"},
	"order %d has key %q in the journal, not %q": {
		"저널에 따르면 주문 %d의 키는 %q입니다(%q 아님)", "日誌記載訂單 %d 的識別值為 %q,而不是 %q"},
	"DigiCert's order info names %s on order %d, not %s": {
		"DigiCert의 주문 정보에는 주문 %[2]d에 %[1]s이(가) 있고 %[3]s은(는) 없습니다", "DigiCert 的訂單資訊中,訂單 %[2]d 列的是 %[1]s,不是 %[3]s"},
	"neither the journal nor DigiCert's order info says order %d is %s's (order info names a person only for S/MIME orders); not touched": {
		"저널도 DigiCert의 주문 정보도 주문 %d이(가) %s의 것이라고 하지 않습니다(주문 정보는 S/MIME 주문에만 사람을 적습니다). 건드리지 않습니다",
		"日誌與 DigiCert 的訂單資訊都未表示訂單 %d 屬於 %s (訂單資訊只在 S/MIME 訂單列出人員);不處理"},
	"%s Type yes to continue: ": {"%s 계속하려면 yes를 입력하십시오: ", "%s 請輸入 yes 繼續: "},
	"%w: no terminal to confirm on; pass --yes to go ahead without asking": {
		"%w: 확인할 터미널이 없습니다. 묻지 않고 진행하려면 --yes를 붙이십시오", "%w: 沒有可供確認的終端機;若要不經詢問直接進行,請加上 --yes"},

	// approve.
	"verb: approve":    {"승인", "核准"},
	"verb: reject":     {"거부", "拒絕"},
	"verbed: approved": {"승인", "核准"},
	"verbed: rejected": {"거부", "拒絕"},
	"verbed: canceled": {"취소", "取消"},
	"verbed: revoked":  {"폐지", "撤銷"},
	"%s: %s: no orders: nothing to %s\n": {
		"%s: %s: 주문 없음: %s할 것이 없습니다\n", "%s: %s: 沒有訂單: 沒有要%s的項目\n"},
	"%s: nothing was %s: %w": {"%s: 아무것도 %s하지 않았습니다: %w", "%s: 未%s任何項目: %w"},
	"%s: %s: %d orders at %s (%s)\n": {
		"%s: %s: 주문 %d건, %s (%s)\n", "%s: %s: %d 筆訂單,位於 %s (%s)\n"},
	"%s: %w":            {"%s: %w", "%s: %w"},
	"  will %s (%d):\n": {"  %s할 요청(%d):\n", "  將%s (%d):\n"},
	"    row %-5d %-36s order %-10d request %-10d REVOCATION (approving it revokes the certificate), %s, requested by %s on %s\n": {
		"    행 %-5d %-36s 주문 %-10d 요청 %-10d 폐지(승인하면 인증서가 폐지됨), %s, 요청자 %s, %s\n",
		"    列 %-5d %-36s 訂單 %-10d 請求 %-10d 撤銷 (核准後憑證即撤銷),%s,由 %s 於 %s 提出\n"},
	"    row %-5d %-36s order %-10d request %-10d new order, %s, requested by %s on %s\n": {
		"    행 %-5d %-36s 주문 %-10d 요청 %-10d 새 주문, %s, 요청자 %s, %s\n",
		"    列 %-5d %-36s 訂單 %-10d 請求 %-10d 新訂單,%s,由 %s 於 %s 提出\n"},
	"  nothing pending:\n":                 {"  대기 중인 요청 없음:\n", "  沒有待處理的請求:\n"},
	"    row %-5d %-36s order %-10d %s\n":  {"    행 %-5d %-36s 주문 %-10d %s\n", "    列 %-5d %-36s 訂單 %-10d %s\n"},
	"Approve these %d requests?":           {"요청 %d건을 승인하시겠습니까?", "要核准這 %d 個請求嗎?"},
	"Approve this request?":                {"이 요청을 승인하시겠습니까?", "要核准此請求嗎?"},
	"Reject these %d requests?":            {"요청 %d건을 거부하시겠습니까?", "要拒絕這 %d 個請求嗎?"},
	"Reject this request?":                 {"이 요청을 거부하시겠습니까?", "要拒絕此請求嗎?"},
	"row %d: request %d: %s\n":             {"%d행: 요청 %d: %s\n", "第 %d 列: 請求 %d: %s\n"},
	"row %d: request %d: not %s yet: %s\n": {"%d행: 요청 %d: 아직 %s되지 않음: %s\n", "第 %d 列: 請求 %d: 尚未%s: %s\n"},
	"%s: %s: %d %s, %d refused by DigiCert, %d to retry, %d rows refused (not the holder's order)\n": {
		"%[1]s: %[2]s: %[4]s %[3]d건, DigiCert 거부 %[5]d건, 다시 시도할 것 %[6]d건, 거부한 행 %[7]d행(본인의 주문이 아님)\n",
		"%[1]s: %[2]s: %[4]s %[3]d 筆,DigiCert 拒絕 %[5]d 筆,待重試 %[6]d 筆,拒絕 %[7]d 列 (不是持有人的訂單)\n"},
	"list pending requests: %w":        {"대기 중인 요청 목록: %w", "列出待處理的請求: %w"},
	"list pending revoke requests: %w": {"대기 중인 폐지 요청 목록: %w", "列出待處理的撤銷請求: %w"},

	// cancel.
	"%d rows name orders placed by earlier batches (skipped): not canceled; cancel those batches to undo them\n": {
		"%d행은 이전 배치가 넣은 주문입니다(건너뜀): 취소하지 않습니다. 되돌리려면 그 배치를 취소하십시오\n",
		"%d 列是先前批次下的訂單 (略過): 不取消;若要復原,請取消那些批次\n"},
	"no journal: cancels are not recorded, so a later submit still counts these people as ordered": {
		"저널이 없습니다: 취소가 기록되지 않으므로 나중의 submit은 이 사람들을 여전히 주문된 것으로 봅니다",
		"沒有日誌: 取消不會被記錄,之後的 submit 仍會將這些人視為已訂購"},
	"cancel: %s placed no orders: nothing to cancel\n": {"cancel: %s은(는) 주문을 넣지 않았습니다: 취소할 것이 없습니다\n", "cancel: %s 未下任何訂單: 沒有要取消的項目\n"},
	"cancel: nothing was canceled: %w":                 {"cancel: 아무것도 취소하지 않았습니다: %w", "cancel: 未取消任何項目: %w"},
	"cancel: %w":                                       {"cancel: %w", "cancel: %w"},
	"Cancel these %d orders?":                          {"주문 %d건을 취소하시겠습니까?", "要取消這 %d 筆訂單嗎?"},
	"Cancel this order?":                               {"이 주문을 취소하시겠습니까?", "要取消此訂單嗎?"},
	"cancel: %s: %d orders, at %s (%s)\n":              {"cancel: %s: 주문 %d건, %s (%s)\n", "cancel: %s: %d 筆訂單,位於 %s (%s)\n"},
	"  will cancel (%d):\n":                            {"  취소할 주문(%d):\n", "  將取消 (%d):\n"},
	"  awaiting approval: will reject the request (%d), the order is then rejected:\n": {
		"  승인 대기 중: 요청을 거부합니다(%d). 그러면 주문도 거부됩니다:\n", "  等待核准: 將拒絕其請求 (%d),訂單隨之遭拒:\n"},
	"%s, request %d\n":     {"%s, 요청 %d\n", "%s,請求 %d\n"},
	"%s, certificate %d\n": {"%s, 인증서 %d\n", "%s,憑證 %d\n"},
	"  NOT cancellable, already issued (%d): only revoking the certificate undoes them:\n": {
		"  취소할 수 없음, 이미 발급됨(%d): 인증서를 폐지해야만 되돌릴 수 있습니다:\n", "  無法取消,已核發 (%d): 只能撤銷憑證來復原:\n"},
	"      certbatch revoke --email %s --reason superseded --comment \"issued by mistake\"\n": {
		"      certbatch revoke --email %s --reason superseded --comment \"실수로 발급됨\"\n",
		"      certbatch revoke --email %s --reason superseded --comment \"誤核發\"\n"},
	"      certbatch revoke --batch ID --row %d --reason superseded --comment \"issued by mistake\"   (order %d at %s)\n": {
		"      certbatch revoke --batch ID --row %d --reason superseded --comment \"실수로 발급됨\"   (주문 %d, %s)\n",
		"      certbatch revoke --batch ID --row %d --reason superseded --comment \"誤核發\"   (訂單 %d,位於 %s)\n"},
	"  already canceled (%d): nothing to do\n": {"  이미 취소됨(%d): 할 일 없음\n", "  已取消 (%d): 無需處理\n"},
	"  nothing to undo (%d):\n":                {"  되돌릴 것 없음(%d):\n", "  無需復原 (%d):\n"},
	"  status unreadable (%d): not canceled\n": {"  상태를 읽지 못함(%d): 취소하지 않음\n", "  無法讀取狀態 (%d): 未取消\n"},
	"row %d: order %d: not canceled: %s\n":     {"%d행: 주문 %d: 취소하지 못함: %s\n", "第 %d 列: 訂單 %d: 未取消: %s\n"},
	"%w (reading the order again: %v)":         {"%w (주문 다시 읽기: %v)", "%w (重新讀取訂單: %v)"},
	"read the status of order %d: %w":          {"주문 %d의 상태 읽기: %w", "讀取訂單 %d 的狀態: %w"},
	"cancel: %s: %d canceled, %d already canceled, %d rejected before approval, %d issued (revoke them), %d refused, %d to retry\n": {
		"cancel: %s: 취소 %d건, 이미 취소됨 %d건, 승인 전 거부 %d건, 발급됨 %d건(폐지 필요), 거부됨 %d건, 다시 시도할 것 %d건\n",
		"cancel: %s: 已取消 %d 筆,先前已取消 %d 筆,核准前拒絕 %d 筆,已核發 %d 筆 (需撤銷),遭拒 %d 筆,待重試 %d 筆\n"},
	"cancel: %s: %d canceled, %d already canceled, %d rejected before approval, %d issued (revoke them), %d refused, %d to retry, %d rows refused (not the holder's order)\n": {
		"cancel: %s: 취소 %d건, 이미 취소됨 %d건, 승인 전 거부 %d건, 발급됨 %d건(폐지 필요), 거부됨 %d건, 다시 시도할 것 %d건, 거부한 행 %d행(본인의 주문이 아님)\n",
		"cancel: %s: 已取消 %d 筆,先前已取消 %d 筆,核准前拒絕 %d 筆,已核發 %d 筆 (需撤銷),遭拒 %d 筆,待重試 %d 筆,拒絕 %d 列 (不是持有人的訂單)\n"},

	// renew.
	"%q is not a window such as 30d, 6w or 720h": {"%q은(는) 30d, 6w, 720h 같은 기간이 아닙니다", "%q 不是像 30d、6w 或 720h 這樣的期間"},
	"%q: between 0 and 3650 days":                {"%q: 0일에서 3650일 사이여야 합니다", "%q: 必須介於 0 到 3650 天"},
	"--within %v":                                {"--within %v", "--within %v"},
	"renew: nothing was ordered: %w":             {"renew: 아무것도 주문하지 않았습니다: %w", "renew: 未訂購任何項目: %w"},
	"renew: dry run: %s, %s; nothing was sent\n": {"renew: 점검: %s, %s. 아무것도 보내지 않았습니다\n", "renew: 試跑: %s,%s;未送出任何內容\n"},
	"%d renewals to order":                       {"갱신 주문 %d건", "%d 筆待續約訂單"},
	"%d orders not renewed":                      {"갱신하지 않는 주문 %d건", "%d 筆不續約的訂單"},
	"Place these %d renewals?":                   {"갱신 주문 %d건을 넣으시겠습니까?", "要下這 %d 筆續約訂單嗎?"},
	"renew: %d orders expiring from %s to %s\n":  {"renew: %[2]s부터 %[3]s까지 만료되는 주문 %[1]d건\n", "renew: %[2]s 至 %[3]s 到期的訂單 %[1]d 筆\n"},
	"  (the whole order list was read: %s)\n":    {"  (전체 주문 목록을 읽었습니다: %s)\n", "  (已讀取整份訂單清單: %s)\n"},
	"  %s (%d):\n":                               {"  %s (%d):\n", "  %s (%d):\n"},
	"will renew":                                 {"갱신함", "將續約"},
	"will renew unless DigiCert has the earlier unanswered renewal": {
		"DigiCert에 응답을 받지 못한 이전 갱신이 없으면 갱신함", "若 DigiCert 上沒有先前未回應的續約,就續約"},
	"renewed at DigiCert, recorded in the journal": {"DigiCert에서 갱신됨, 저널에 기록함", "已在 DigiCert 續約,記錄於日誌"},
	"already renewed: not renewed again":           {"이미 갱신됨: 다시 갱신하지 않음", "已續約: 不再續約"},
	"cannot renew":                                 {"갱신할 수 없음", "無法續約"},
	"not in the input: not renewed":                {"입력 파일에 없음: 갱신하지 않음", "不在輸入檔中: 不續約"},
	"    ... and %d more (see the results)\n":      {"    ... 외 %d건(결과 파일 참고)\n", "    ... 另有 %d 筆 (見結果檔)\n"},
	"    %-36s order %-10d expires %s  %s":         {"    %-36s 주문 %-10d 만료 %s  %s", "    %-36s 訂單 %-10d 到期 %s  %s"},
	"    %-36s order %-10d expires %s  %s, renewal: %s, %s": {
		"    %-36s 주문 %-10d 만료 %s  %s, 갱신: %s, %s", "    %-36s 訂單 %-10d 到期 %s  %s,續約: %s,%s"},
	"account checked for newer orders: %d orders listed\n": {"계정의 새 주문 확인: 주문 목록 %d건\n", "已查詢帳戶中較新的訂單: 列出 %d 筆\n"},
	"certbatch has nothing to renew.\n":                    {"certbatch가 갱신할 것이 없습니다.\n", "certbatch 沒有要續約的項目。\n"},
	"certbatch will place up to %d renewal orders.\n":      {"certbatch가 갱신 주문을 최대 %d건 넣습니다.\n", "certbatch 將下最多 %d 筆續約訂單。\n"},
	"DigiCert documents renewal_of_order_id for client certificates only; order a new certificate with submit (--force)": {
		"DigiCert는 renewal_of_order_id를 클라이언트 인증서에 대해서만 문서화했습니다. submit(--force)으로 새 인증서를 주문하십시오",
		"DigiCert 僅對用戶端憑證說明 renewal_of_order_id;請以 submit (--force) 訂購新憑證"},
	"it is %s now": {"현재 %s 상태입니다", "目前為 %s"},
	"order info names no email and the journal does not know the order": {
		"주문 정보에 이메일이 없고 저널도 이 주문을 모릅니다", "訂單資訊未列電子郵件,日誌也不知道此訂單"},
	"the account could not be checked for a newer order of this person (%s); run again later": {
		"이 사람의 새 주문을 계정에서 확인하지 못했습니다(%s). 나중에 다시 실행하십시오", "無法查詢帳戶中此人是否有較新的訂單 (%s);請稍後再執行"},
	"its renewal would be refused: %s":               {"갱신이 거부될 것입니다: %s", "其續約會遭拒: %s"},
	"order %d of the same person is renewed instead": {"같은 사람의 주문 %d을(를) 대신 갱신합니다", "改為續約同一人的訂單 %d"},
	"product %q is not one certbatch orders":         {"제품 %q은(는) certbatch가 주문하는 제품이 아닙니다", "產品 %q 不是 certbatch 訂購的產品"},
	"renewed at DigiCert: order %d":                  {"DigiCert에서 갱신됨: 주문 %d", "已在 DigiCert 續約: 訂單 %d"},
	"renewed by certbatch: order %d (batch %s)":      {"certbatch가 갱신함: 주문 %d (배치 %s)", "已由 certbatch 續約: 訂單 %d (批次 %s)"},
	"the person has a newer order %d (batch %s)":     {"이 사람에게 더 새로운 주문 %d이(가) 있습니다(배치 %s)", "此人有較新的訂單 %d (批次 %s)"},
	"the person has a newer order at DigiCert: %d (%s)": {
		"이 사람에게 DigiCert에 더 새로운 주문이 있습니다: %d (%s)", "此人在 DigiCert 上有較新的訂單: %d (%s)"},
	"read order %d: %w":        {"주문 %d 읽기: %w", "讀取訂單 %d: %w"},
	"find expiring orders: %w": {"만료 예정 주문 찾기: %w", "尋找即將到期的訂單: %w"},
	"expiring orders: the order list is longer than %d pages": {
		"만료 예정 주문: 주문 목록이 %d쪽보다 깁니다", "即將到期的訂單: 訂單清單超過 %d 頁"},
	"the order list is longer than %d pages; not walked to the end": {
		"주문 목록이 %d쪽보다 깁니다. 끝까지 읽지 않았습니다", "訂單清單超過 %d 頁;未讀到最後"},
	"the order list refused filters[valid_till] (%v)": {
		"주문 목록이 filters[valid_till]을(를) 거부했습니다(%v)", "訂單清單拒絕了 filters[valid_till] (%v)"},
	"the expiring report could not be read to check the filter (%v)": {
		"필터를 확인할 만료 예정 보고서를 읽지 못했습니다(%v)", "無法讀取即將到期報告以檢查篩選條件 (%v)"},
	"filters[valid_till] found %d orders expiring in %d to %d days, the expiring report counts %d": {
		"filters[valid_till]로 %[2]d~%[3]d일 안에 만료되는 주문을 %[1]d건 찾았지만 만료 예정 보고서에는 %[4]d건입니다",
		"filters[valid_till] 找到 %[2]d 至 %[3]d 天內到期的訂單 %[1]d 筆,但即將到期報告計為 %[4]d 筆"},

	// revoke.
	"--reason must be one of %s (DigiCert's revocation reasons)": {
		"--reason은 다음 중 하나여야 합니다: %s (DigiCert의 폐지 사유)", "--reason 必須是下列之一: %s (DigiCert 的撤銷原因)"},
	"revoke: %s: no certificates: nothing to revoke\n": {"revoke: %s: 인증서 없음: 폐지할 것이 없습니다\n", "revoke: %s: 沒有憑證: 沒有要撤銷的項目\n"},
	"revoke: nothing was revoked: %w":                  {"revoke: 아무것도 폐지하지 않았습니다: %w", "revoke: 未撤銷任何項目: %w"},
	"revoke: %w":                                       {"revoke: %w", "revoke: %w"},
	"Revoking cannot be undone. Type \"revoke %d\" to revoke these certificates:": {
		"폐지는 되돌릴 수 없습니다. 이 인증서들을 폐지하려면 \"revoke %d\"을(를) 입력하십시오:", "撤銷無法復原。若要撤銷這些憑證,請輸入 \"revoke %d\":"},
	"revoke: %s: %d orders at %s (%s); reason %s; revocation requests for an approver (certbatch approve)\n": {
		"revoke: %s: 주문 %d건, %s (%s); 사유 %s; 승인자가 처리할 폐지 요청(certbatch approve)\n",
		"revoke: %s: %d 筆訂單,位於 %s (%s);原因 %s;由核准者處理的撤銷請求 (certbatch approve)\n"},
	"revoke: %s: %d orders at %s (%s); reason %s; revoked at once (--skip-approval)\n": {
		"revoke: %s: 주문 %d건, %s (%s); 사유 %s; 즉시 폐지(--skip-approval)\n",
		"revoke: %s: %d 筆訂單,位於 %s (%s);原因 %s;立即撤銷 (--skip-approval)\n"},
	"    %-36s order %-10d certificate %-10s %s": {"    %-36s 주문 %-10d 인증서 %-10s %s", "    %-36s 訂單 %-10d 憑證 %-10s %s"},
	"    %-36s order %-10d certificate %-10s %s, valid till %s": {
		"    %-36s 주문 %-10d 인증서 %-10s %s, %s까지 유효", "    %-36s 訂單 %-10d 憑證 %-10s %s,有效至 %s"},
	"%s: order %d: not revoked: %s\n": {"%s: 주문 %d: 폐지하지 못함: %s\n", "%s: 訂單 %d: 未撤銷: %s\n"},
	"revoke: %s: %d revoked, %d waiting for an approver, %d revoked already, %d not issued, %d refused (holder not confirmed), %d refused by DigiCert, %d to retry\n": {
		"revoke: %s: 폐지 %d건, 승인자 대기 %d건, 이미 폐지됨 %d건, 발급 안 됨 %d건, 거부(본인 확인 안 됨) %d건, DigiCert 거부 %d건, 다시 시도할 것 %d건\n",
		"revoke: %s: 已撤銷 %d 筆,等待核准者 %d 筆,先前已撤銷 %d 筆,未核發 %d 筆,拒絕 (未確認持有人) %d 筆,DigiCert 拒絕 %d 筆,待重試 %d 筆\n"},
	"revocation requested (%s): request %d waits for an approver (certbatch approve)": {
		"폐지 요청됨(%s): 요청 %d이(가) 승인자를 기다립니다(certbatch approve)", "已請求撤銷 (%s): 請求 %d 等待核准者 (certbatch approve)"},

	// sync.
	"--revoke-leavers needs --reason, one of %s": {"--revoke-leavers에는 --reason이 필요합니다. 다음 중 하나: %s", "--revoke-leavers 需要 --reason,下列之一: %s"},
	"sync: nothing was sent: %w":                 {"sync: 아무것도 보내지 않았습니다: %w", "sync: 未送出任何內容: %w"},
	"sync: leavers not revoked: %w":              {"sync: 퇴사자를 폐지하지 않았습니다: %w", "sync: 離職人員未撤銷: %w"},
	"sync: revoke leavers: %w":                   {"sync: 퇴사자 폐지: %w", "sync: 撤銷離職人員: %w"},
	"check the account: %w":                      {"계정 확인: %w", "檢查帳戶: %w"},
	"sync: dry run: %d joiners, %d renewals, %d leavers; nothing was sent\n": {
		"sync: 점검: 신규 입사자 %d명, 갱신 %d건, 퇴사자 %d명. 아무것도 보내지 않았습니다\n", "sync: 試跑: 新進人員 %d 人,續約 %d 筆,離職人員 %d 人;未送出任何內容\n"},
	"sync: %d joiners, %d renewals, %d leavers (%d revoked or requested)\n": {
		"sync: 신규 입사자 %d명, 갱신 %d건, 퇴사자 %d명(폐지 또는 요청 %d건)\n", "sync: 新進人員 %d 人,續約 %d 筆,離職人員 %d 人 (已撤銷或已請求 %d 筆)\n"},
	"sync: %d roster rows read: %d hold an order already, %d joiners, %d renewals, %d leavers\n": {
		"sync: 명단 %d행 읽음: 이미 주문 있음 %d명, 신규 입사자 %d명, 갱신 %d건, 퇴사자 %d명\n",
		"sync: 讀取名冊 %d 列: 已有訂單 %d 人,新進人員 %d 人,續約 %d 筆,離職人員 %d 人\n"},
	"  ... and %d more invalid rows (certbatch validate shows them)\n": {
		"  ... 잘못된 행이 %d행 더 있습니다(certbatch validate로 확인)\n", "  ... 另有 %d 列無效 (certbatch validate 會列出)\n"},
	"  invalid, not sent: %s\n":                        {"  잘못됨, 보내지 않음: %s\n", "  無效,不送出: %s\n"},
	"  joiners (%d): new to the account: will order\n": {"  신규 입사자(%d): 계정에 없음: 주문함\n", "  新進人員 (%d): 帳戶中沒有: 將訂購\n"},
	"    row %-5d %-36s %s\n":                          {"    행 %-5d %-36s %s\n", "    列 %-5d %-36s %s\n"},
	"    row %-5d %-36s %s (an earlier request got no answer: DigiCert is checked first)\n": {
		"    행 %-5d %-36s %s (이전 요청이 응답을 받지 못함: DigiCert를 먼저 확인)\n", "    列 %-5d %-36s %s (先前的請求未收到回應: 會先查詢 DigiCert)\n"},
	"  renewals (%d): expire from %s to %s: will renew\n": {
		"  갱신(%d): %s부터 %s까지 만료: 갱신함\n", "  續約 (%d): %s 至 %s 到期: 將續約\n"},
	"    %-46s order %-10d expires %s  %s, renewal: %s\n": {
		"    %-46s 주문 %-10d 만료 %s  %s, 갱신: %s\n", "    %-46s 訂單 %-10d 到期 %s  %s,續約: %s\n"},
	"    (%d expiring orders cannot be renewed here: see the results)\n": {
		"    (만료 예정 주문 %d건은 여기서 갱신할 수 없습니다: 결과 파일 참고)\n", "    (%d 筆即將到期的訂單無法在此續約: 見結果檔)\n"},
	"  leavers (%d): active certificates of people no longer on the roster: will revoke\n": {
		"  퇴사자(%d): 명단에 없는 사람의 유효한 인증서: 폐지함\n", "  離職人員 (%d): 已不在名冊上的人員的有效憑證: 將撤銷\n"},
	"  leavers (%d): active certificates of people no longer on the roster: listed only (--revoke-leavers revokes them)\n": {
		"  퇴사자(%d): 명단에 없는 사람의 유효한 인증서: 표시만 함(--revoke-leavers로 폐지)\n", "  離職人員 (%d): 已不在名冊上的人員的有效憑證: 僅列出 (--revoke-leavers 會撤銷)\n"},
	"    %-46s order %-10d certificate %-10d %s, valid till %s\n": {
		"    %-46s 주문 %-10d 인증서 %-10d %s, %s까지 유효\n", "    %-46s 訂單 %-10d 憑證 %-10d %s,有效至 %s\n"},
	"  (%d people not on the roster have an order that is not issued yet: cancel them with certbatch cancel --email)\n": {
		"  (명단에 없는 %d명에게 아직 발급되지 않은 주문이 있습니다: certbatch cancel --email로 취소하십시오)\n",
		"  (有 %d 位不在名冊上的人員有尚未核發的訂單: 請用 certbatch cancel --email 取消)\n"},

	// expiring, history, prune, reconcile, results.
	"expiring: %w": {"expiring: %w", "expiring: %w"},
	"expiring: %d certificates expiring within %s written to %s\n": {
		"expiring: %[2]s 안에 만료되는 인증서 %[1]d개를 %[3]s에 썼습니다\n", "expiring: 已將 %[2]s 內到期的 %[1]d 張憑證寫入 %[3]s\n"},
	"(no certificate expires within %s)\n": {"(%s 안에 만료되는 인증서가 없습니다)\n", "(%s 內沒有到期的憑證)\n"},
	"PERSON\tKEY\tPRODUCT\tORDER\tCERTIFICATE\tVALID TILL\tDAYS LEFT\tRENEWED\n": {
		"대상자\t키\t제품\t주문\t인증서\t만료일\t남은 일수\t갱신됨\n", "對象\t識別值\t產品\t訂單\t憑證\t有效期限\t剩餘天數\t已續約\n"},
	"--since %q: want a date like 2026-10-01": {"--since %q: 2026-10-01 같은 날짜를 쓰십시오", "--since %q: 請使用 2026-10-01 這樣的日期"},
	"-o %s: want a .csv or .xlsx file":        {"-o %s: .csv 또는 .xlsx 파일을 지정하십시오", "-o %s: 請指定 .csv 或 .xlsx 檔"},
	"history: %d entries written to %s\n":     {"history: 항목 %d개를 %s에 썼습니다\n", "history: 已將 %d 筆紀錄寫入 %s\n"},
	" (recovered)":                            {" (복구됨)", " (已復原)"},
	"yes":                                     {"예", "是"},
	"(unnamed: %s)":                           {"(이메일 없음: %s)", "(無電子郵件: %s)"},
	"(no orders match)\n":                     {"(맞는 주문이 없습니다)\n", "(沒有符合的訂單)\n"},
	"WHEN\tBATCH\tROW\tPRODUCT\tEMAIL\tSTATE\tORDER\tCERTIFICATE\tSTATUS\n": {
		"시각\t배치\t행\t제품\t이메일\t상태\t주문\t인증서\t주문 상태\n", "時間\t批次\t列\t產品\t電子郵件\t狀態\t訂單\t憑證\t訂單狀態\n"},
	"--before DATE is required":                {"--before DATE가 필요합니다", "必須指定 --before DATE"},
	"--before %q: want a date like 2026-01-01": {"--before %q: 2026-01-01 같은 날짜를 쓰십시오", "--before %q: 請使用 2026-01-01 這樣的日期"},
	"prune: deleted %d input rows of batches started before %s; orders and history are kept\n": {
		"prune: %[2]s 전에 시작한 배치의 입력 행 %[1]d행을 지웠습니다. 주문과 이력은 남아 있습니다\n", "prune: 已刪除 %[2]s 之前開始之批次的輸入列 %[1]d 列;訂單與紀錄仍保留\n"},
	"reconcile: nothing to do: every request in the journal has an answer\n": {
		"reconcile: 할 일 없음: 저널의 모든 요청에 응답이 있습니다\n", "reconcile: 無需處理: 日誌中的每個請求都有回應\n"},
	"%s %s (batch %s row %d)":                               {"%s %s (배치 %s %d행)", "%s %s (批次 %s 第 %d 列)"},
	"%s: still uncertain: %v\n":                             {"%s: 아직 불확실: %v\n", "%s: 仍不確定: %v\n"},
	"%s: no order at DigiCert: the next submit orders it\n": {"%s: DigiCert에 주문 없음: 다음 submit이 주문합니다\n", "%s: DigiCert 上沒有訂單: 下次 submit 會訂購\n"},
	"%s: adopted order %d\n":                                {"%s: 주문 %d을(를) 기록했습니다\n", "%s: 已採用訂單 %d\n"},
	"%s: %s: decide by hand\n":                              {"%s: %s: 직접 판단하십시오\n", "%s: %s: 請人工判斷\n"},
	"%d entries are still uncertain":                        {"아직 불확실한 항목이 %d개 있습니다", "仍有 %d 筆紀錄不確定"},
	"the journal has no batches":                            {"저널에 배치가 없습니다", "日誌中沒有批次"},
	"results: batch %s (%s, %s): %d rows: %s. Results: %s\n": {
		"results: 배치 %s (%s, %s): %d행: %s. 결과 파일: %s\n", "results: 批次 %s (%s,%s): %d 列: %s。結果檔: %s\n"},

	// journal migrate.
	"--to %s: want a postgres:// URL (the shared journal)": {"--to %s: postgres:// URL(공유 저널)을 지정하십시오", "--to %s: 請指定 postgres:// URL (共用日誌)"},
	"--from %s: want an SQLite journal file":               {"--from %s: SQLite 저널 파일을 지정하십시오", "--from %s: 請指定 SQLite 日誌檔"},
	"the journal to copy is %s, a shared one: pass --from FILE": {
		"복사할 저널 %s은(는) 공유 저널입니다. --from FILE을 지정하십시오", "要複製的日誌 %s 是共用日誌: 請指定 --from FILE"},
	"no journal at %s to copy (pass --from FILE)": {"%s에 복사할 저널이 없습니다(--from FILE을 지정하십시오)", "%s 沒有可複製的日誌 (請指定 --from FILE)"},
	"%s %d (%d new)":             {"%s %d (신규 %d)", "%s %d (新增 %d)"},
	"%s %d (%d new, %d updated)": {"%s %d (신규 %d, 갱신 %d)", "%s %d (新增 %d,更新 %d)"},
	"journal migrate: %s: %d of %d records of %s are not in %s\n": {
		"journal migrate: %[1]s: %[4]s의 레코드 %[3]d개 중 %[2]d개가 %[5]s에 없습니다\n", "journal migrate: %[1]s: %[4]s 的 %[3]d 筆紀錄中有 %[2]d 筆不在 %[5]s\n"},
	"journal migrate: %s -> %s: %s\n": {"journal migrate: %s -> %s: %s\n", "journal migrate: %s -> %s: %s\n"},
	"journal migrate: the copy is incomplete; nothing in %s was changed, run it again": {
		"journal migrate: 복사가 완전하지 않습니다. %s은(는) 바뀌지 않았으니 다시 실행하십시오", "journal migrate: 複製不完整;%s 未變更,請再執行一次"},
	"journal migrate: verified: every record of %s is in %s\n": {
		"journal migrate: 확인 완료: %s의 모든 레코드가 %s에 있습니다\n", "journal migrate: 已驗證: %s 的每筆紀錄都在 %s 中\n"},

	// template.
	"--product is required (one of: %s)": {"--product가 필요합니다(다음 중 하나: %s)", "必須指定 --product (下列之一: %s)"},
	"unknown product %q (one of: %s)":    {"알 수 없는 제품 %q입니다(다음 중 하나: %s)", "未知的產品 %q (下列之一: %s)"},
	"--config-out and --no-config exclude each other": {
		"--config-out과 --no-config는 함께 쓸 수 없습니다", "--config-out 與 --no-config 不可同時使用"},
	"--config-out %s exists; certbatch never overwrites a config": {
		"--config-out %s이(가) 이미 있습니다. certbatch는 설정 파일을 덮어쓰지 않습니다", "--config-out %s 已存在;certbatch 絕不覆寫設定檔"},
	"%s exists; certbatch never overwrites a config": {"%s이(가) 이미 있습니다. certbatch는 설정 파일을 덮어쓰지 않습니다", "%s 已存在;certbatch 絕不覆寫設定檔"},
	"write config: %w":    {"설정 파일 쓰기: %w", "寫入設定檔: %w"},
	"write config %s: %w": {"설정 파일 %s 쓰기: %w", "寫入設定檔 %s: %w"},
	"template: wrote %s (%d columns for %s, %s)\n": {
		"template: %[1]s을(를) 썼습니다(%[3]s용 %[2]d열, %[4]s)\n", "template: 已寫入 %s (%[3]s 的 %[2]d 欄,%[4]s)\n"},
	"template: kept the existing %s (a config is never overwritten)\n": {
		"template: 기존 %s을(를) 그대로 두었습니다(설정 파일은 덮어쓰지 않습니다)\n", "template: 保留既有的 %s (絕不覆寫設定檔)\n"},
	"template: wrote %s (fill in %s, then: certbatch validate %s --config %s)\n": {
		"template: %s을(를) 썼습니다(%s을(를) 채운 뒤: certbatch validate %s --config %s)\n", "template: 已寫入 %s (填寫 %s 後執行: certbatch validate %s --config %s)\n"},

	// sandbox.
	"--hold %q: DAYS must be a number of days from -7 to 3650": {
		"--hold %q: DAYS는 -7에서 3650 사이의 일수여야 합니다", "--hold %q: DAYS 必須是 -7 到 3650 之間的天數"},
	"--hold %q: want EMAIL[:DAYS], e.g. bo.kim@example.com:20": {
		"--hold %q: EMAIL[:DAYS] 형식이어야 합니다(예: bo.kim@example.com:20)", "--hold %q: 格式應為 EMAIL[:DAYS],例如 bo.kim@example.com:20"},
	"sandbox: serving CertCentral at %s (accepts %s; rate limits %s)\n": {
		"sandbox: %s에서 CertCentral을 제공합니다(허용 키 %s, 요청 한도 %s)\n", "sandbox: 在 %s 提供 CertCentral (接受 %s;請求上限 %s)\n"},
	"sandbox: try: DIGICERT_API_KEY=... certbatch submit INPUT --base-url %s\n": {
		"sandbox: 사용 예: DIGICERT_API_KEY=... certbatch submit INPUT --base-url %s\n", "sandbox: 試試: DIGICERT_API_KEY=... certbatch submit INPUT --base-url %s\n"},
}

// lifecycleOne are the lifecycle messages whose English changes for one.
var lifecycleOne = map[string]one{
	"%d rows name orders placed by earlier batches (skipped): not canceled; cancel those batches to undo them\n": {1,
		"%d row names orders placed by earlier batches (skipped): not canceled; cancel those batches to undo them\n"},
	"%s: %s: %d orders at %s (%s)\n":                               {3, "%s: %s: %d order at %s (%s)\n"},
	"cancel: %s: %d orders, at %s (%s)\n":                          {2, "cancel: %s: %d order, at %s (%s)\n"},
	"%d renewals to order":                                         {1, "%d renewal to order"},
	"%d orders not renewed":                                        {1, "%d order not renewed"},
	"Place these %d renewals?":                                     {1, "Place these %d renewal?"},
	"renew: %d orders expiring from %s to %s\n":                    {1, "renew: %d order expiring from %s to %s\n"},
	"account checked for newer orders: %d orders listed\n":         {1, "account checked for newer orders: %d order listed\n"},
	"certbatch will place up to %d renewal orders.\n":              {1, "certbatch will place up to %d renewal order.\n"},
	"expiring: %d certificates expiring within %s written to %s\n": {1, "expiring: %d certificate expiring within %s written to %s\n"},
	"history: %d entries written to %s\n":                          {1, "history: %d entry written to %s\n"},
	"prune: deleted %d input rows of batches started before %s; orders and history are kept\n": {1,
		"prune: deleted %d input row of batches started before %s; orders and history are kept\n"},
	"%d entries are still uncertain":                         {1, "%d entry is still uncertain"},
	"results: batch %s (%s, %s): %d rows: %s. Results: %s\n": {4, "results: batch %s (%s, %s): %d row: %s. Results: %s\n"},
	"revoke: %s: %d orders at %s (%s); reason %s; revocation requests for an approver (certbatch approve)\n": {2,
		"revoke: %s: %d order at %s (%s); reason %s; revocation requests for an approver (certbatch approve)\n"},
	"revoke: %s: %d orders at %s (%s); reason %s; revoked at once (--skip-approval)\n": {2,
		"revoke: %s: %d order at %s (%s); reason %s; revoked at once (--skip-approval)\n"},
	"sync: %d roster rows read: %d hold an order already, %d joiners, %d renewals, %d leavers\n": {1,
		"sync: %d roster row read: %d hold an order already, %d joiners, %d renewals, %d leavers\n"},
}
