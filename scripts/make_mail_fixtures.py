#!/usr/bin/env python3
"""Writes tests/fixtures/mail/: messages as the mail clients departments use save them.

Each message is written byte by byte (not by Python's email package) so the encodings are
exactly the ones those clients produce: RFC 2047 GB2312/GBK names (Outlook, Foxmail), RFC 2231
split names (Thunderbird), forwarded messages, zip attachments, TNEF, an mbox, and hostile
shapes. Run from the repository root: python3 scripts/make_mail_fixtures.py
"""
import base64, io, os, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "mail")
GOOD = open(os.path.join(ROOT, "samples", "2023-某某县市场监督管理局.xlsx"), "rb").read()
BAD = open(os.path.join(ROOT, "samples", "2023-某某县市场监督管理局-总计有误.xlsx"), "rb").read()
OLD = open(os.path.join(ROOT, "samples", "2020-江源区.xlsx"), "rb").read()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def rfc2047_b(text, charset):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(charset)).decode())


def rfc2047_q(text, charset):
    out = []
    for b in text.encode(charset):
        c = chr(b)
        out.append(c if c.isalnum() and b < 128 else "=%02X" % b)
    return "=?%s?Q?%s?=" % (charset, "".join(out))


def write(name, text):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(text.encode("ascii") if isinstance(text, str) else text)


def crlf(s):
    return s.replace("\r\n", "\n").replace("\n", "\r\n")


def outlook():
    name = rfc2047_b("某某县市场监督管理局2023年政府信息公开统计表.xlsx", "gb2312")
    sender = rfc2047_b("张三", "gb2312")
    subj = rfc2047_b("报送2023年政府信息公开工作年度报告统计表", "gb2312")
    text = b64("政务公开办：\r\n  附件是我局2023年统计表，请审核。\r\n".encode("gb2312"))
    return crlf(f"""Received: from mail.scj.example.gov.cn (unknown [10.1.2.3])
From: {sender} <zhangsan@scj.example.gov.cn>
To: "=?gb2312?B?1f7O8bmrv6rwsA==?=" <gkb@example.gov.cn>
Subject: {subj}
Date: Mon, 15 Jan 2024 09:30:12 +0800
Message-ID: <000001da4771$1a2b3c4d$4e5f6071@scj.example.gov.cn>
MIME-Version: 1.0
Content-Type: multipart/mixed;
\tboundary="----=_NextPart_000_0001_01DA4771.1A2B3C4D"
X-Mailer: Microsoft Outlook 16.0
Thread-Index: AdpHcRorPE1OX2BxAA==
Content-Language: zh-cn

This is a multi-part message in MIME format.

------=_NextPart_000_0001_01DA4771.1A2B3C4D
Content-Type: multipart/alternative;
\tboundary="----=_NextPart_001_0002_01DA4771.1A2B3C4D"


------=_NextPart_001_0002_01DA4771.1A2B3C4D
Content-Type: text/plain;
\tcharset="gb2312"
Content-Transfer-Encoding: base64

{text}

------=_NextPart_001_0002_01DA4771.1A2B3C4D
Content-Type: text/html;
\tcharset="gb2312"
Content-Transfer-Encoding: quoted-printable

<html><body><p>=D5=FE=CE=F1=B9=AB=BF=AA=B0=EC=A3=BA</p></body></html>

------=_NextPart_001_0002_01DA4771.1A2B3C4D--

------=_NextPart_000_0001_01DA4771.1A2B3C4D
Content-Type: {XLSX};
\tname="{name}"
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
\tfilename="{name}"

{b64(GOOD)}

------=_NextPart_000_0001_01DA4771.1A2B3C4D--
""")


def foxmail():
    name = rfc2047_q("统计表（总计有误）.xlsx", "gbk")
    return crlf(f"""Date: Tue, 16 Jan 2024 14:05:33 +0800
From: "{rfc2047_b('李四', 'gbk')}" <lisi@example.gov.cn>
To: "gkb" <gkb@example.gov.cn>
Subject: {rfc2047_b('年报统计表', 'gbk')}
X-Priority: 3
X-Has-Attach: yes
X-Mailer: Foxmail 7.2.25.228[cn]
Mime-Version: 1.0
Message-ID: <202401161405330874511@example.gov.cn>
Content-Type: multipart/mixed;
\tboundary="----=_001_NextPart571230408745_=----"

This is a multi-part message in MIME format.

------=_001_NextPart571230408745_=----
Content-Type: text/plain;
\tcharset="GB2312"
Content-Transfer-Encoding: base64

{b64("请查收。".encode("gb2312"))}

------=_001_NextPart571230408745_=----
Content-Type: application/octet-stream;
\tname="{name}"
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
\tfilename="{name}"

{b64(BAD)}

------=_001_NextPart571230408745_=----
""")


def thunderbird():
    full = "江源区2020年度政府信息公开工作年度报告统计表（定稿）.xlsx"
    enc = "".join(c if c.isascii() and c.isalnum() else "".join("%%%02X" % b for b in c.encode()) for c in full)
    parts = [enc[i:i + 60] for i in range(0, len(enc), 60)]
    # RFC 2231 continuations must not split a %XX escape.
    fixed, carry = [], ""
    for p in parts:
        p = carry + p
        carry = ""
        cut = p.rfind("%")
        if cut >= len(p) - 2 and cut != -1:
            carry, p = p[cut:], p[:cut]
        fixed.append(p)
    if carry:
        fixed[-1] += carry
    sep = ";\r\n"
    params = sep.join(" filename*%d*=%s%s" % (i, "UTF-8''" if i == 0 else "", p) for i, p in enumerate(fixed))
    return crlf(f"""Message-ID: <5c3a1f2e-9b7d-4e21-8a0c-1d2e3f4a5b6c@jy.example.gov.cn>
Date: Wed, 20 Jan 2021 16:42:09 +0800
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: zh-CN
To: gkb@example.gov.cn
From: =?UTF-8?B?546L5LqU?= <wangwu@jy.example.gov.cn>
Subject: =?UTF-8?B?5rGf5rqQ5Yy6MjAyMOW5tOW5tOaKpQ==?=
Content-Type: multipart/mixed;
 boundary="------------A1B2C3D4E5F6A7B8C9D0E1F2"

This is a multi-part message in MIME format.
--------------A1B2C3D4E5F6A7B8C9D0E1F2
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

附件为我区2020年统计表。

--------------A1B2C3D4E5F6A7B8C9D0E1F2
Content-Type: {XLSX};
 name="{'tongjibiao.xlsx'}"
Content-Disposition: attachment;
{params}
Content-Transfer-Encoding: base64

{b64(OLD)}

--------------A1B2C3D4E5F6A7B8C9D0E1F2--
""".replace("附件为我区2020年统计表。", "=E9=99=84"))


def forwarded():
    inner = outlook()
    return crlf(f"""From: =?UTF-8?B?6LW15YWt?= <zhaoliu@example.gov.cn>
To: gkb@example.gov.cn
Subject: =?UTF-8?B?6L2s5Y+R77ya5oql6YCB57uf6K6h6KGo?=
Date: Thu, 18 Jan 2024 08:00:00 +0800
Message-ID: <fwd-20240118-0800@example.gov.cn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-boundary"

--fwd-boundary
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

{b64("转发张三的邮件。".encode())}
--fwd-boundary
Content-Type: message/rfc822
Content-Disposition: attachment; filename="forwarded.eml"

""") + inner + "\r\n--fwd-boundary--\r\n"


def zipped():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("统计表/市场监督管理局.xlsx", GOOD)
        z.writestr("统计表/江源区.xlsx", OLD)
        z.writestr("说明.txt", "两个统计表".encode())
    return crlf(f"""From: "Sun Qi" <sunqi@example.gov.cn>
To: gkb@example.gov.cn
Subject: two workbooks
Date: Fri, 19 Jan 2024 10:00:00 +0800
Message-ID: <zip-20240119@example.gov.cn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="zz"

--zz
Content-Type: text/plain; charset=us-ascii

See attached.
--zz
Content-Type: application/zip; name="tables.zip"
Content-Disposition: attachment; filename="tables.zip"
Content-Transfer-Encoding: base64

{b64(buf.getvalue())}
--zz--
""")


def no_attachment():
    return crlf("""From: Zhou Ba <zhouba@example.gov.cn>
To: gkb@example.gov.cn
Subject: =?UTF-8?B?5bm05oql57uf6K6h6KGo?=
Date: Sat, 20 Jan 2024 11:00:00 +0800
Message-ID: <noatt-20240120@example.gov.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

57uf6K6h6KGo56iN5ZCO6KGl5Y+R77yM6ZmE5Lu25b+Y5LqG5Yqg44CC
""")


def tnef():
    payload = bytes([0x78, 0x9F, 0x3E, 0x22]) + bytes(200)
    return crlf(f"""From: Wu Jiu <wujiu@example.gov.cn>
To: gkb@example.gov.cn
Subject: TNEF
Date: Sun, 21 Jan 2024 12:00:00 +0800
Message-ID: <tnef-20240121@example.gov.cn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="tt"

--tt
Content-Type: text/plain; charset=us-ascii

Rich text mail.
--tt
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

{b64(payload)}
--tt--
""")


def mbox():
    out = []
    for i, msg in enumerate([outlook(), foxmail(), no_attachment()]):
        out.append(f"From MAILER-DAEMON Mon Jan 15 09:3{i}:12 2024\n")
        body = msg.replace("\r\n", "\n")
        body = "\n".join((">" + l) if l.startswith("From ") else l for l in body.split("\n"))
        out.append(body.rstrip("\n") + "\n\n")
    return "".join(out)


def nested(depth):
    head = "From: deep@example.gov.cn\r\nTo: gkb@example.gov.cn\r\nSubject: deep\r\nDate: Mon, 22 Jan 2024 12:00:00 +0800\r\nMessage-ID: <deep@example.gov.cn>\r\nMIME-Version: 1.0\r\n"
    parts = [head]
    for i in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n')
    parts.append("Content-Type: text/plain\r\n\r\nbottom\r\n")
    for i in reversed(range(depth)):
        parts.append(f"--b{i}--\r\n")
    return "".join(parts)


def many_attachments(n):
    tiny = b64(b"x")
    parts = ["From: many@example.gov.cn\r\nTo: gkb@example.gov.cn\r\nSubject: many\r\nDate: Mon, 22 Jan 2024 12:00:00 +0800\r\nMessage-ID: <many@example.gov.cn>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mm\"\r\n\r\n"]
    for i in range(n):
        parts.append(f'--mm\r\nContent-Type: {XLSX}; name="t{i}.xlsx"\r\nContent-Disposition: attachment; filename="t{i}.xlsx"\r\nContent-Transfer-Encoding: base64\r\n\r\n{tiny}\r\n')
    parts.append("--mm--\r\n")
    return "".join(parts)


def broken_base64():
    good = b64(GOOD)
    broken = good[: len(good) // 2] + "\r\n!!!!not base64 at all ####\r\n"
    return crlf(f"""From: Zheng Shi <zhengshi@example.gov.cn>
To: gkb@example.gov.cn
Subject: broken
Date: Tue, 23 Jan 2024 12:00:00 +0800
Message-ID: <broken@example.gov.cn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="bb"

--bb
Content-Type: {XLSX}; name="broken.xlsx"
Content-Disposition: attachment; filename="broken.xlsx"
Content-Transfer-Encoding: base64

{broken}
--bb--
""")


def main():
    os.makedirs(OUT, exist_ok=True)
    write("outlook-gb2312-name.eml", outlook())
    write("foxmail-gbk-q-name.eml", foxmail())
    write("thunderbird-rfc2231-name.eml", thunderbird())
    write("forwarded.eml", forwarded())
    write("zip-of-two-workbooks.eml", zipped())
    write("no-attachment.eml", no_attachment())
    write("tnef-winmail-dat.eml", tnef())
    write("three-messages.mbox", mbox())
    write("hostile-nested-1000.eml", nested(1000))
    write("hostile-2000-attachments.eml", many_attachments(2000))
    write("hostile-broken-base64.eml", broken_base64())


if __name__ == "__main__":
    main()
