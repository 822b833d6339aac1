#!/usr/bin/python3
"""Writes the golden <cpu> files of cases.json with OpenStack Nova's own code.

Runs Nova's LibvirtDriver._get_guest_cpu_config (which calls
_get_guest_cpu_model_config, _get_cpu_model_mapping and _prepare_cpu_flag) and
nova.virt.hardware.get_best_cpu_topology for each case, and formats the result
with nova.virt.libvirt.config, so the files are the XML Nova writes for the same
[libvirt] settings. Needs Debian's python3-nova (26.2.2 was used) and virsh for
libvirt's CPU model names (what Nova's getCPUModelNames returns):

    /usr/bin/python3 tests/Vireo.Virt.Tests/Golden/cpu/generate-with-nova.py

Vireo's tests compare GuestCpuPolicy's output with these files.
"""
import json
import os
import subprocess

from lxml import etree
import nova.conf
from nova import objects
from nova.virt.libvirt import driver

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = nova.conf.CONF


class FakeHost:
    """What _get_guest_cpu_config asks of nova.virt.libvirt.host.Host on an x86_64 host."""

    class _Caps:
        class host:
            class cpu:
                arch = "x86_64"

    def get_capabilities(self):
        return self._Caps()

    def get_cpu_model_names(self):
        names = subprocess.run(["virsh", "-c", "qemu:///system", "cpu-models", "x86_64"],
                               check=True, capture_output=True, text=True).stdout
        return [n for n in names.split() if n]


class Driver:
    """Only the LibvirtDriver state the CPU methods read; the methods are Nova's."""

    _get_guest_cpu_config = driver.LibvirtDriver._get_guest_cpu_config
    _get_guest_cpu_model_config = driver.LibvirtDriver._get_guest_cpu_model_config
    _get_cpu_model_mapping = driver.LibvirtDriver._get_cpu_model_mapping
    _prepare_cpu_flag = driver.LibvirtDriver._prepare_cpu_flag

    def __init__(self):
        self._host = FakeHost()
        self.cpu_models_mapping = {}

    def _get_cpu_info(self):
        return {"arch": "x86_64"}

    def _check_emulation_arch(self, image_meta):
        return "x86_64"


def main():
    objects.register_all()
    CONF([], project="nova", default_config_files=[])
    with open(os.path.join(HERE, "cases.json")) as f:
        cases = json.load(f)
    for case in cases:
        CONF.set_override("virt_type", case["virt_type"], group="libvirt")
        CONF.set_override("cpu_mode", case["cpu_mode"], group="libvirt")
        CONF.set_override("cpu_models", case["cpu_models"], group="libvirt")
        CONF.set_override("cpu_model_extra_flags", case["extra_flags"], group="libvirt")
        flavor = objects.Flavor(vcpus=case["vcpus"], memory_mb=512, root_gb=1, ephemeral_gb=0, swap=0, extra_specs={})
        image_meta = objects.ImageMeta.from_dict({"properties": {}})
        cpu = Driver()._get_guest_cpu_config(flavor, image_meta, None, None)
        xml = etree.tostring(cpu.format_dom(), pretty_print=True).decode()
        with open(os.path.join(HERE, case["file"]), "w") as out:
            out.write(xml)
        print(case["file"])


if __name__ == "__main__":
    main()
