import { AuthForm } from "@/components/shell/AuthForm";

export default function SignupPage() {
  return <AuthForm mode="signup" />;
}
