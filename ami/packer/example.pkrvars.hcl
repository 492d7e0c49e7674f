# Sample values: copy, then take source_ami from the platform version your environments run:
#   aws elasticbeanstalk describe-platform-version --platform-arn ARN \
#     --query 'PlatformDescription.CustomAmiList[?VirtualizationType==`hvm`].ImageId' --output text
region       = "eu-west-1"
source_ami   = "ami-0123456789abcdef0"
platform_arn = "arn:aws:elasticbeanstalk:eu-west-1::platform/Python 3.11 running on 64bit Amazon Linux 2023/4.3.0"
profile      = "current"
