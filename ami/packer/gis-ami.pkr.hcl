# A GeoDjango-ready Elastic Beanstalk AMI: the platform version's own base AMI, with SQLite, GEOS,
# PROJ (+ proj-data), libspatialite and GDAL built by ../create_ami.sh at the pins of
# ../versions.env. See ../README.md for the variables, the checks and how to rebuild.
#
#   packer build -var-file=my.pkrvars.hcl ami/packer/gis-ami.pkr.hcl
#
# Written for Packer 1.6.6 (Debian's) and later: HCL2 without required_plugins (the amazon-ebs
# builder is built in there).

variable "region" {
  type        = string
  description = "The region of the Elastic Beanstalk environments that will use the image."
}

variable "source_ami" {
  type        = string
  description = "The platform version's base AMI: the hvm ImageId of DescribePlatformVersion's CustomAmiList."
}

variable "platform_arn" {
  type        = string
  default     = ""
  description = "The platform version the base AMI belongs to, recorded in a tag (rebuild when it changes)."
}

variable "profile" {
  type        = string
  default     = "current"
  description = "A profile of ../versions.env: iaso-legacy or current."
}

variable "instance_type" {
  type    = string
  default = "c6i.xlarge"
}

variable "subnet_id" {
  type        = string
  default     = ""
  description = "Empty: the default VPC's. The builder downloads the tarballs, so it needs a way out."
}

variable "security_group_id" {
  type        = string
  default     = ""
  description = "Empty: Packer creates a temporary one allowing SSH, and deletes it."
}

variable "ssh_username" {
  type    = string
  default = "ec2-user"
}

variable "volume_size" {
  type        = number
  default     = 30
  description = "GiB for the root volume: the build trees of GDAL and PROJ need room."
}

locals {
  # versions.env read as a map (KEY=VALUE lines, comments skipped), so the tags and the name say
  # exactly what create_ami.sh builds.
  pins = {
    for line in split("\n", file("${path.root}/../versions.env")) :
    split("=", line)[0] => trim(join("=", slice(split("=", line), 1, length(split("=", line)))), "\"")
    if length(split("=", line)) > 1 && substr(line, 0, 1) != "#"
  }
  key = upper(replace(var.profile, "-", "_"))
  versions = {
    for lib in ["sqlite", "geos", "proj", "proj-data", "libspatialite", "gdal"] :
    lib => local.pins["${local.key}_${upper(replace(lib, "-", "_"))}_VERSION"]
  }
  stamp = formatdate("YYYYMMDD-hhmmss", timestamp())
  tags = {
    "Name"                    = "eb-deploy gis ${var.profile} gdal ${local.versions["gdal"]}"
    "eb-deploy:profile"       = var.profile
    "eb-deploy:source-ami"    = var.source_ami
    "eb-deploy:platform-arn"  = var.platform_arn
    "eb-deploy:sqlite"        = local.versions["sqlite"]
    "eb-deploy:geos"          = local.versions["geos"]
    "eb-deploy:proj"          = local.versions["proj"]
    "eb-deploy:proj-data"     = local.versions["proj-data"]
    "eb-deploy:libspatialite" = local.versions["libspatialite"]
    "eb-deploy:gdal"          = local.versions["gdal"]
    "eb-deploy:built-by"      = "packer"
  }
}

source "amazon-ebs" "gis" {
  region            = var.region
  source_ami        = var.source_ami
  instance_type     = var.instance_type
  subnet_id         = var.subnet_id
  security_group_id = var.security_group_id
  ssh_username      = var.ssh_username
  ssh_timeout       = "10m"

  ami_name        = "eb-deploy-gis-${var.profile}-gdal-${local.versions["gdal"]}-${local.stamp}"
  ami_description = "Elastic Beanstalk base ${var.source_ami} with GDAL ${local.versions["gdal"]}, GEOS ${local.versions["geos"]}, PROJ ${local.versions["proj"]} (eb-deploy ${var.profile})"

  # Beanstalk's rule for custom AMIs: no package upgrades at boot, so that the image keeps the
  # platform version's packages (and cloud-init holds no package lock while the build starts).
  user_data = <<-EOT
    #cloud-config
    repo_upgrade: none
  EOT

  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = var.volume_size
    volume_type           = "gp3"
    iops                  = 3000 # gp3's baseline, stated because Packer 1.6 requires them
    throughput            = 125
    delete_on_termination = true
  }

  # Creating the image from a 30 GiB volume can take a while: wait up to an hour for `available`.
  aws_polling {
    delay_seconds = 15
    max_attempts  = 240
  }

  run_tags = {
    "Name"              = "eb-deploy AMI builder (${var.profile})"
    "eb-deploy:builder" = "packer"
  }
  tags          = local.tags
  snapshot_tags = local.tags
}

build {
  sources = ["source.amazon-ebs.gis"]

  # cloud-init may still run (and hold the package lock) when SSH comes up; exit 2 means it
  # finished with recoverable errors, which does not stop the build.
  provisioner "shell" {
    inline = [
      "sudo cloud-init status --wait || [ $? -eq 2 ]",
      "mkdir -p /tmp/eb-deploy-ami",
    ]
  }

  provisioner "file" {
    source      = "${path.root}/../create_ami.sh"
    destination = "/tmp/eb-deploy-ami/create_ami.sh"
  }

  provisioner "file" {
    source      = "${path.root}/../versions.env"
    destination = "/tmp/eb-deploy-ami/versions.env"
  }

  provisioner "shell" {
    inline = [
      "sudo bash /tmp/eb-deploy-ami/create_ami.sh --profile ${var.profile} --log /var/log/eb-deploy-ami.log --result-file /var/lib/eb-deploy-ami/result",
      "rm -rf /tmp/eb-deploy-ami",
    ]
  }
}
