import { defineMessages } from "../define.js";

/** The command line (issue 15): help, usage and outcome lines, the ledger lock refusal and the doctor's lines. */
export const cliMessages = defineMessages({
  "cli-help": {
    en: `stockradar — one stock ledger for every marketplace, a courier radar and refund safety, run from chat.

Usage: stockradar <command> [--config FILE] [--lang en|zh-CN]

  run                         start the bot (chat transports, HTTP server, scheduled jobs)
  demo                        run against local simulators with a seeded catalog
  cmd [--as USER] "/stock A-1" run one chat command and print the reply
                              exit 0 ok, 1 refused or failed, 2 usage error
  job NAME                    run one job once ({ $jobs })
  import skus FILE.csv        sku,title,on_hand[,low_threshold,cost,min_margin]; new SKUs only, existing
                              ones keep their stock unless --set (and --yes to confirm)
  import stocktake FILE.csv   sku,counted[,location]: counts recorded with reason "count"
  import listings FILE.csv    channel,sku,ref[,cap,buffer,share]
  import bundles FILE.csv     bundle,component,qty: the whole file is checked before anything is defined
  import prices FILE.csv      sku,amount[,currency,channel]: checked whole by the price guard; a large file waits for one approval
  import channel CHANNEL      bring a channel's catalog in: create SKUs, link listings, set on-hand
      --dry-run, --quantity channel|min|max|keep, --source CHANNEL, --file FILE.csv (Xianyu)
  init [--channels shopify,woocommerce,…] [--chat telegram|wecom|console]
                              write a commented stockradar.yaml and a .env template here
  doctor                      check config, ledger and every configured API
  restore FILE                replace the ledger with a backup (stop the bot first;
                              the current ledger is kept as a pre-restore copy)

Config: --config FILE, else { "$" }STOCKRADAR_CONFIG, else ./stockradar.yaml, else built-in defaults.
Language: --lang en|zh-CN, else the config's language, else LANG, else en.`,
    "zh-CN": `stockradar — 所有店铺共用一本库存账，附带快递雷达和退款保护，在聊天里操作。

用法：stockradar <命令> [--config 文件] [--lang en|zh-CN]

  run                         启动机器人（聊天通道、HTTP 服务、定时任务）
  demo                        用本地模拟器和示例商品运行
  cmd [--as 用户] "/stock A-1" 执行一条聊天命令并打印回复
                              退出码 0 成功，1 被拒绝或失败，2 用法错误
  job 任务名                  立即运行一次某个任务（{ $jobs }）
  import skus 文件.csv        sku,title,on_hand[,low_threshold,cost,min_margin]；只新建货号，已有货号
                              保留库存，除非加 --set（并用 --yes 确认）
  import stocktake 文件.csv   sku,counted[,location]：按盘点记录，原因为 "count"
  import listings 文件.csv    channel,sku,ref[,cap,buffer,share]
  import bundles 文件.csv     bundle,component,qty：整份文件检查通过后才定义组合
  import prices 文件.csv      sku,amount[,currency,channel]：价格保护整体检查；大文件需一次审批
  import channel 渠道         导入渠道的商品：新建货号、关联商品、设置在库数
      --dry-run、--quantity channel|min|max|keep、--source 渠道、--file 文件.csv（闲鱼）
  init [--channels shopify,woocommerce,…] [--chat telegram|wecom|console]
                              在当前目录写出带注释的 stockradar.yaml 和 .env 模板
  doctor                      检查配置、账本和每个已配置的接口
  restore 文件                用备份替换账本（先停止机器人；
                              当前账本会另存为恢复前副本）

配置：--config 文件，否则 { "$" }STOCKRADAR_CONFIG，否则 ./stockradar.yaml，否则内置默认值。
语言：--lang en|zh-CN，否则用配置里的 language，否则看 LANG，都没有时用英文。`,
  },
  "cli-unknown-command": {
    en: "Unknown command { $command }.",
    "zh-CN": "未知命令 { $command }。",
  },
  "cli-cmd-usage": {
    en: 'Usage: stockradar cmd [--as USER] "/stock A-1"',
    "zh-CN": '用法：stockradar cmd [--as 用户] "/stock A-1"',
  },
  "cli-job-usage": {
    en: "Usage: stockradar job NAME — one of: { $jobs }",
    "zh-CN": "用法：stockradar job 任务名 — 可选：{ $jobs }",
  },
  "cli-restore-usage": {
    en: "Usage: stockradar restore FILE (a backup written by the backup job)",
    "zh-CN": "用法：stockradar restore 文件（备份任务写出的备份）",
  },
  "cli-restore-memory": {
    en: "The configured database is :memory:; there is nothing to restore into.",
    "zh-CN": "配置的数据库是 :memory:，没有可以恢复到的账本。",
  },
  "cli-restored": {
    en: "restored { $database } from { $from } ({ $skus } SKUs)",
    "zh-CN": "已从 { $from } 恢复 { $database }（{ $skus } 个货号）",
  },
  "cli-restore-safety-copy": {
    en: "the previous ledger is kept at { $file }",
    "zh-CN": "原账本保存在 { $file }",
  },
  "cli-job-report": {
    en: "{ $job }: { $report }",
    "zh-CN": "{ $job }：{ $report }",
  },
  "cli-ledger-locked": {
    en: "Another stockradar process (pid { $pid }) holds { $database }; stop it before { $what }.",
    "zh-CN": "另一个 stockradar 进程（进程号 { $pid }）正在使用 { $database }；请先停止它，再{ $what }。",
  },
  "cli-ledger-locked-nopid": {
    en: "Another stockradar process holds { $database }; stop it before { $what }.",
    "zh-CN": "另一个 stockradar 进程正在使用 { $database }；请先停止它，再{ $what }。",
  },
  "cli-lock-starting": { en: "starting another bot", "zh-CN": "启动新的机器人" },
  "cli-lock-restoring": { en: "restoring", "zh-CN": "恢复备份" },
  "cli-port-in-use": {
    en: "HTTP port { $port } on { $host } is in use; set http.port, or http.enabled: false",
    "zh-CN": "{ $host } 上的 HTTP 端口 { $port } 已被占用；请修改 http.port，或设为 http.enabled: false",
  },
  "doctor-mark-ok": { en: "ok", "zh-CN": "正常" },
  "doctor-mark-fail": { en: "FAIL", "zh-CN": "失败" },
  "doctor-config-ok": { en: "config: { $source } is valid", "zh-CN": "配置：{ $source } 有效" },
  "doctor-ledger-ok": {
    en: "ledger: { $database } opens, { $applied }/{ $total } migrations applied, integrity ok",
    "zh-CN": "账本：{ $database } 可以打开，已应用 { $applied }/{ $total } 个迁移，完整性正常",
  },
  "doctor-ledger-corrupt": {
    en: "ledger: { $database } failed the integrity check ({ $check }); restore the newest backup",
    "zh-CN": "账本：{ $database } 未通过完整性检查（{ $check }）；请恢复最新的备份",
  },
  "doctor-ledger-unopenable": {
    en: "ledger: cannot open { $database } ({ $reason }); check the path and its permissions",
    "zh-CN": "账本：无法打开 { $database }（{ $reason }）；请检查路径及其权限",
  },
  "doctor-telegram-unreachable": {
    en: "telegram: { $root } unreachable ({ $reason }); check the network or chat.telegram.apiRoot",
    "zh-CN": "电报：无法连接 { $root }（{ $reason }）；请检查网络或 chat.telegram.apiRoot",
  },
  "doctor-telegram-refused": {
    en: "telegram: the bot token was refused (401); get a new one from @BotFather and set TELEGRAM_BOT_TOKEN",
    "zh-CN": "电报：机器人令牌被拒绝（401）；请向 @BotFather 重新申请并设置 TELEGRAM_BOT_TOKEN",
  },
  "doctor-telegram-http": {
    en: "telegram: getMe answered HTTP { $status }; check chat.telegram.apiRoot",
    "zh-CN": "电报：getMe 返回 HTTP { $status }；请检查 chat.telegram.apiRoot",
  },
  "doctor-telegram-ok": { en: "telegram: bot @{ $username } reachable", "zh-CN": "电报：机器人 @{ $username } 可连接" },
  "doctor-channel-no-base": {
    en: "channel { $id } ({ $kind }): no apiBase to probe",
    "zh-CN": "渠道 { $id }（{ $kind }）：没有可探测的 apiBase",
  },
  "doctor-channel-unreachable": {
    en: "channel { $id } ({ $kind }): { $base } unreachable ({ $reason }); check apiBase and the network",
    "zh-CN": "渠道 { $id }（{ $kind }）：无法连接 { $base }（{ $reason }）；请检查 apiBase 和网络",
  },
  "doctor-channel-reachable": {
    en: "channel { $id } ({ $kind }): { $base } reachable (HTTP { $status })",
    "zh-CN": "渠道 { $id }（{ $kind }）：{ $base } 可连接（HTTP { $status }）",
  },
  "doctor-chat-console": {
    en: "chat: no Telegram or WeCom configured; alerts go to the console",
    "zh-CN": "聊天：未配置电报或企业微信；告警输出到控制台",
  },
  "doctor-root": {
    en: "process: running as root; run as a dedicated user such as stockradar (see deploy/stockradar.service)",
    "zh-CN": "进程：正以超级用户身份运行；请改用专用用户（例如 stockradar）运行，参见部署目录中的服务单元示例",
  },
  "doctor-node-old": {
    en: "node: { $version } is too old; install Node.js 20.10 or newer",
    "zh-CN": "运行环境：{ $version } 版本过旧；请安装 20.10 或更新版本",
  },
  "doctor-disk-low": {
    en: "disk: { $free } GB free under { $dir }, below { $needed } GB; free space or move data and backup.dir to a larger disk",
    "zh-CN":
      "磁盘：{ $dir } 下剩余 { $free } GB，低于 { $needed } GB；请清理空间，或把数据和 backup.dir 移到更大的磁盘",
  },
  "doctor-disk-ok": { en: "disk: { $free } GB free under { $dir }", "zh-CN": "磁盘：{ $dir } 下剩余 { $free } GB" },
  "doctor-bot-running": {
    en: "bot: running as pid { $pid } on this ledger",
    "zh-CN": "机器人：正在此账本上运行（进程号 { $pid }）",
  },
  "doctor-http-open": {
    en: "http: listening on { $host } without http.apiToken, so the reservation API is open to anyone; set STOCKRADAR_API_TOKEN or bind 127.0.0.1 behind a reverse proxy",
    "zh-CN":
      "接口：在 { $host } 上监听却未设 http.apiToken，预留接口对任何人开放；请设置 STOCKRADAR_API_TOKEN，或绑定 127.0.0.1 并放在反向代理之后",
  },
  "doctor-backup-none": {
    en: 'backup: no backup in { $dir } yet; run "stockradar job backup" now, then the backup job keeps it fresh (schedule.backup)',
    "zh-CN":
      "备份：{ $dir } 中还没有备份；请立即运行 “stockradar job backup”，之后备份任务会定期更新（schedule.backup）",
  },
  "doctor-backup-stale": {
    en: "backup: the newest backup ({ $at }) is { $hours } hours old; check the backup job in the log (journalctl -u stockradar) and schedule.backup",
    "zh-CN":
      "备份：最新的备份（{ $at }）已有 { $hours } 小时；请在日志中检查备份任务（journalctl -u stockradar）和 schedule.backup",
  },
  "doctor-backup-ok": {
    en: "backup: newest { $file } ({ $mb } MB, { $hours } h old)",
    "zh-CN": "备份：最新 { $file }（{ $mb } MB，{ $hours } 小时前）",
  },
  "doctor-job-failed": {
    en: 'job { $job }: its last run ({ $at }) failed{ $reason }; run "stockradar job { $job }" to retry and read the log',
    "zh-CN": "任务 { $job }：上次运行（{ $at }）失败{ $reason }；请运行 “stockradar job { $job }” 重试并查看日志",
  },
});
