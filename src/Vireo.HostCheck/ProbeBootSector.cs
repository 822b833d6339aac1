using System.Text;

namespace Vireo.HostCheck;

/// <summary>
/// The acceleration probe's guest: one 512-byte MBR boot sector, hand-assembled x86 (checked
/// against GNU as). It goes through every CPU mode a real kernel uses and reports each on the
/// serial port (COM1; QEMU's 16550 takes bytes written to 0x3F8 without any set-up):
/// real mode, timer interrupts, protected mode, long mode with paging, then a fixed amount of
/// work (50 million loop iterations) and finally <c>VIREO-PROBE-OK &lt;nonce&gt;</c>.
/// <para>
/// Why not just print from real mode: on a host whose /dev/kvm comes from kvm_pvm, a real-mode
/// boot sector prints within 3 s, yet a Linux guest hangs forever. There every instruction is
/// emulated: the work loop that TCG finishes in about 0.3 s takes minutes. Only a guest that must
/// do real work before its marker tells acceleration from emulation.
/// </para>
/// </summary>
public static class ProbeBootSector
{
    public const int Size = 512;

    /// <summary>How many '.' the guest prints during its work, one per step.</summary>
    public const int WorkSteps = 10;

    public const string FinalMarker = "VIREO-PROBE-OK";

    public const int NonceLength = 16;

    /// <summary>The stage lines, in the order the guest prints them (messages at fixed offsets the code addresses).</summary>
    public static readonly IReadOnlyList<(string Stage, string Line)> Stages =
    [
        ("real-mode", "VIREO-PROBE real-mode"),
        ("timer-interrupts", "VIREO-PROBE timer-interrupts"),
        ("protected-mode", "VIREO-PROBE protected-mode"),
        ("long-mode", "VIREO-PROBE long-mode work:"),
    ];

    private const int MessageReal = 0x126;
    private const int MessageTicks = 0x13E;
    private const int MessageProtected = 0x15D;
    private const int MessageLong = 0x17A;
    private const int MessageDone = 0x196;

    private static readonly byte[] Code =
    [
        // Real mode, loaded at 0x7C00 by the BIOS: segments 0, stack below the code, UART COM1 (0x3F8) in DX.
        // Print "real-mode".
        0xFA,                                           // 000: cli
        0x31, 0xC0,                                     // 001: xor %ax,%ax
        0x8E, 0xD8,                                     // 003: mov %ax,%ds
        0x8E, 0xC0,                                     // 005: mov %ax,%es
        0x8E, 0xD0,                                     // 007: mov %ax,%ss
        0xBC, 0x00, 0x7C,                               // 009: mov $0x7c00,%sp
        0xFC,                                           // 00c: cld
        0xBA, 0xF8, 0x03,                               // 00d: mov $0x3f8,%dx
        0xBE, 0x26, 0x7D,                               // 010: mov $0x7d26,%si
        0xAC,                                           // 013: lods %ds:(%si),%al
        0x84, 0xC0,                                     // 014: test %al,%al
        0x74, 0x03,                                     // 016: je 0x1b
        0xEE,                                           // 018: out %al,(%dx)
        0xEB, 0xF8,                                     // 019: jmp 0x13
        // Timer interrupts: sti; hlt until the BIOS tick count at 0040:006C has advanced by 2 (about 110 ms).
        // Print "timer-interrupts".
        0xFB,                                           // 01b: sti
        0x8B, 0x1E, 0x6C, 0x04,                         // 01c: mov 0x46c,%bx
        0x83, 0xC3, 0x02,                               // 020: add $0x2,%bx
        0xF4,                                           // 023: hlt
        0xA1, 0x6C, 0x04,                               // 024: mov 0x46c,%ax
        0x39, 0xD8,                                     // 027: cmp %bx,%ax
        0x72, 0xF8,                                     // 029: jb 0x23
        0xFA,                                           // 02b: cli
        0xBE, 0x3E, 0x7D,                               // 02c: mov $0x7d3e,%si
        0xAC,                                           // 02f: lods %ds:(%si),%al
        0x84, 0xC0,                                     // 030: test %al,%al
        0x74, 0x03,                                     // 032: je 0x37
        0xEE,                                           // 034: out %al,(%dx)
        0xEB, 0xF8,                                     // 035: jmp 0x2f
        // Fast A20, load the GDT, set CR0.PE, far jump into 32-bit code.
        0xE4, 0x92,                                     // 037: in $0x92,%al
        0x0C, 0x02,                                     // 039: or $0x2,%al
        0xE6, 0x92,                                     // 03b: out %al,$0x92
        0x66, 0x0F, 0x01, 0x16, 0x20, 0x7D,             // 03d: lgdtl 0x7d20
        0x0F, 0x20, 0xC0,                               // 043: mov %cr0,%eax
        0x66, 0x83, 0xC8, 0x01,                         // 046: or $0x1,%eax
        0x0F, 0x22, 0xC0,                               // 04a: mov %eax,%cr0
        0x66, 0xEA, 0x55, 0x7C, 0x00, 0x00, 0x08, 0x00, // 04d: ljmpl $0x8,$0x7c55
        // 32-bit protected mode: flat data segments; print "protected-mode".
        0x66, 0xB8, 0x10, 0x00,                         // 055: mov $0x10,%ax
        0x8E, 0xD8,                                     // 059: mov %eax,%ds
        0x8E, 0xC0,                                     // 05b: mov %eax,%es
        0x8E, 0xD0,                                     // 05d: mov %eax,%ss
        0xBE, 0x5D, 0x7D, 0x00, 0x00,                   // 05f: mov $0x7d5d,%esi
        0xAC,                                           // 064: lods %ds:(%esi),%al
        0x84, 0xC0,                                     // 065: test %al,%al
        0x74, 0x03,                                     // 067: je 0x6c
        0xEE,                                           // 069: out %al,(%dx)
        0xEB, 0xF8,                                     // 06a: jmp 0x64
        // Identity-map the first 2 MiB (PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000, one 2 MiB page), set
        // CR4.PAE, CR3, EFER.LME (MSR 0xC0000080; rdmsr clobbers EDX), CR0.PG, far jump into 64-bit code.
        0xBF, 0x00, 0x10, 0x00, 0x00,                   // 06c: mov $0x1000,%edi
        0x31, 0xC0,                                     // 071: xor %eax,%eax
        0xB9, 0x00, 0x0C, 0x00, 0x00,                   // 073: mov $0xc00,%ecx
        0xF3, 0xAB,                                     // 078: rep stos %eax,%es:(%edi)
        0xC7, 0x05, 0x00, 0x10, 0x00, 0x00, 0x03, 0x20, 0x00, 0x00, // 07a: movl $0x2003,0x1000
        0xC7, 0x05, 0x00, 0x20, 0x00, 0x00, 0x03, 0x30, 0x00, 0x00, // 084: movl $0x3003,0x2000
        0xC7, 0x05, 0x00, 0x30, 0x00, 0x00, 0x83, 0x00, 0x00, 0x00, // 08e: movl $0x83,0x3000
        0x0F, 0x20, 0xE0,                               // 098: mov %cr4,%eax
        0x83, 0xC8, 0x20,                               // 09b: or $0x20,%eax
        0x0F, 0x22, 0xE0,                               // 09e: mov %eax,%cr4
        0xB8, 0x00, 0x10, 0x00, 0x00,                   // 0a1: mov $0x1000,%eax
        0x0F, 0x22, 0xD8,                               // 0a6: mov %eax,%cr3
        0xB9, 0x80, 0x00, 0x00, 0xC0,                   // 0a9: mov $0xc0000080,%ecx
        0x0F, 0x32,                                     // 0ae: rdmsr
        0x0D, 0x00, 0x01, 0x00, 0x00,                   // 0b0: or $0x100,%eax
        0x0F, 0x30,                                     // 0b5: wrmsr
        0x0F, 0x20, 0xC0,                               // 0b7: mov %cr0,%eax
        0x0D, 0x00, 0x00, 0x00, 0x80,                   // 0ba: or $0x80000000,%eax
        0x0F, 0x22, 0xC0,                               // 0bf: mov %eax,%cr0
        0xEA, 0xC9, 0x7C, 0x00, 0x00, 0x18, 0x00,       // 0c2: ljmp $0x18,$0x7cc9
        // 64-bit long mode: reload DX; print "long-mode work:".
        0x66, 0xBA, 0xF8, 0x03,                         // 0c9: mov $0x3f8,%dx
        0xBE, 0x7A, 0x7D, 0x00, 0x00,                   // 0cd: mov $0x7d7a,%esi
        0xAC,                                           // 0d2: lods %ds:(%rsi),%al
        0x84, 0xC0,                                     // 0d3: test %al,%al
        0x74, 0x03,                                     // 0d5: je 0xda
        0xEE,                                           // 0d7: out %al,(%dx)
        0xEB, 0xF8,                                     // 0d8: jmp 0xd2
        // The work: 10 steps of 5,000,000 loop iterations, a '.' after each step.
        0xBB, 0x0A, 0x00, 0x00, 0x00,                   // 0da: mov $0xa,%ebx
        0xB9, 0x40, 0x4B, 0x4C, 0x00,                   // 0df: mov $0x4c4b40,%ecx
        0xFF, 0xC9,                                     // 0e4: dec %ecx
        0x75, 0xFC,                                     // 0e6: jne 0xe4
        0xB0, 0x2E,                                     // 0e8: mov $0x2e,%al
        0xEE,                                           // 0ea: out %al,(%dx)
        0xFF, 0xCB,                                     // 0eb: dec %ebx
        0x75, 0xF0,                                     // 0ed: jne 0xdf
        // Print the final marker, then halt for good.
        0xBE, 0x96, 0x7D, 0x00, 0x00,                   // 0ef: mov $0x7d96,%esi
        0xAC,                                           // 0f4: lods %ds:(%rsi),%al
        0x84, 0xC0,                                     // 0f5: test %al,%al
        0x74, 0x03,                                     // 0f7: je 0xfc
        0xEE,                                           // 0f9: out %al,(%dx)
        0xEB, 0xF8,                                     // 0fa: jmp 0xf4
        0xF4,                                           // 0fc: hlt
        0xEB, 0xFD,                                     // 0fd: jmp 0xfc
        0x90,                                           // 0ff: nop (padding before the GDT)
    ];

    /// <summary>Null descriptor, 32-bit code (0x08), flat data (0x10), 64-bit code (0x18); then the GDTR (limit 31, base 0x7D00).</summary>
    private static readonly byte[] GdtAndPointer =
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0xCF, 0x00,
        0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0xCF, 0x00,
        0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0xAF, 0x00,
        0x1F, 0x00, 0x00, 0x7D, 0x00, 0x00,
    ];

    /// <summary>The boot sector printing <c>VIREO-PROBE-OK &lt;nonce&gt;</c> last; the nonce is 16 characters [0-9a-z].</summary>
    public static byte[] Build(string nonce)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        if (nonce.Length != NonceLength || !nonce.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)))
        {
            throw new ArgumentException($"the nonce must be {NonceLength} characters of [0-9a-z]", nameof(nonce));
        }

        var sector = new byte[Size];
        Code.CopyTo(sector, 0);
        GdtAndPointer.CopyTo(sector, 0x100);
        Put(sector, MessageReal, Stages[0].Line + "\r\n", MessageTicks);
        Put(sector, MessageTicks, Stages[1].Line + "\r\n", MessageProtected);
        Put(sector, MessageProtected, Stages[2].Line + "\r\n", MessageLong);
        Put(sector, MessageLong, Stages[3].Line, MessageDone);
        Put(sector, MessageDone, $"\r\n{FinalMarker} {nonce}\r\n", 0x1FE);
        sector[0x1FE] = 0x55; // MBR boot signature
        sector[0x1FF] = 0xAA;
        return sector;
    }

    /// <summary>The complete final line the guest prints for this nonce.</summary>
    public static string MarkerLine(string nonce) => $"{FinalMarker} {nonce}";

    /// <summary>A NUL-terminated string at an offset the code addresses; it must end before the next one starts.</summary>
    private static void Put(byte[] sector, int offset, string text, int limit)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (offset + bytes.Length + 1 > limit)
        {
            throw new InvalidOperationException($"probe message at 0x{offset:X} overruns 0x{limit:X}");
        }

        bytes.CopyTo(sector, offset);
    }
}
