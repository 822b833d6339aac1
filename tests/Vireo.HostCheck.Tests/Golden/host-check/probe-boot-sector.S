# The acceleration probe boot sector (src/Vireo.HostCheck/ProbeBootSector.cs), as GNU as source.
# Rebuild: as --32 -o p.o probe-boot-sector.S && objcopy -O binary -j .text p.o p.bin; the X placeholder is the nonce.
        .code16
        .globl _start
_start:
        cli
        xor     %ax, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     $0x7c00, %sp
        cld
        mov     $0x3f8, %dx
        mov     $(msg_real - _start + 0x7c00), %si
1:      lodsb
        test    %al, %al
        jz      2f
        out     %al, %dx
        jmp     1b
2:      sti
        mov     0x46c, %bx
        add     $2, %bx
3:      hlt
        mov     0x46c, %ax
        cmp     %bx, %ax
        jb      3b
        cli
        mov     $(msg_ticks - _start + 0x7c00), %si
4:      lodsb
        test    %al, %al
        jz      5f
        out     %al, %dx
        jmp     4b
5:      in      $0x92, %al
        or      $2, %al
        out     %al, $0x92
        lgdtl   (gdtr - _start + 0x7c00)
        mov     %cr0, %eax
        or      $1, %eax
        mov     %eax, %cr0
        ljmpl   $0x08, $(pm32 - _start + 0x7c00)
        .code32
pm32:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     $(msg_prot - _start + 0x7c00), %esi
1:      lodsb
        test    %al, %al
        jz      2f
        out     %al, %dx
        jmp     1b
2:      mov     $0x1000, %edi
        xor     %eax, %eax
        mov     $0xc00, %ecx
        rep stosl
        movl    $0x2003, 0x1000
        movl    $0x3003, 0x2000
        movl    $0x83, 0x3000
        mov     %cr4, %eax
        or      $0x20, %eax
        mov     %eax, %cr4
        mov     $0x1000, %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx
        rdmsr
        or      $0x100, %eax
        wrmsr
        mov     %cr0, %eax
        or      $0x80000000, %eax
        mov     %eax, %cr0
        ljmp    $0x18, $(lm64 - _start + 0x7c00)
        .code64
lm64:
        mov     $0x3f8, %dx
        mov     $(msg_long - _start + 0x7c00), %esi
1:      lodsb
        test    %al, %al
        jz      2f
        out     %al, %dx
        jmp     1b
2:      mov     $10, %ebx
3:      mov     $5000000, %ecx
4:      dec     %ecx
        jnz     4b
        mov     $0x2e, %al
        out     %al, %dx
        dec     %ebx
        jnz     3b
        mov     $(msg_done - _start + 0x7c00), %esi
1:      lodsb
        test    %al, %al
        jz      2f
        out     %al, %dx
        jmp     1b
2:      hlt
        jmp     2b
        .p2align 3
gdt:    .quad 0
        .quad 0x00cf9a000000ffff
        .quad 0x00cf92000000ffff
        .quad 0x00af9a000000ffff
gdtr:   .word 31
        .long gdt - _start + 0x7c00
msg_real:  .asciz "VIREO-PROBE real-mode\r\n"
msg_ticks: .asciz "VIREO-PROBE timer-interrupts\r\n"
msg_prot:  .asciz "VIREO-PROBE protected-mode\r\n"
msg_long:  .asciz "VIREO-PROBE long-mode work:"
msg_done:  .asciz "\r\nVIREO-PROBE-OK XXXXXXXXXXXXXXXX\r\n"
        .org 510
        .byte 0x55, 0xaa
